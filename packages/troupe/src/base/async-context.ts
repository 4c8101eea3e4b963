// AsyncLocalStorage, loaded when first needed rather than when the package is imported, so that
// importing troupe loads no runtime-specific module (Node, Bun and Deno all provide this one).

import type { AsyncLocalStorage } from "node:async_hooks";

export type { AsyncLocalStorage };

export function createAsyncLocalStorage<T>(): AsyncLocalStorage<T> {
  const { AsyncLocalStorage: Storage } = process.getBuiltinModule("node:async_hooks");
  return new Storage<T>();
}
