// Turns the `storage` option of `setup()` into a driver.

import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { errors } from "../base/errors.ts";
import type { StorageDriver } from "../storage/driver.ts";
import { MemoryDriver } from "../storage/memory/driver.ts";
import { SqliteDriver } from "../storage/sqlite/driver.ts";

export type StorageConfig = { driver: "sqlite"; path?: string; synchronous?: "full" | "normal" } | { driver: "memory" } | StorageDriver;

export const DEFAULT_SQLITE_PATH = ".troupe/troupe.db";

export function openStorage(config: StorageConfig | undefined): StorageDriver {
  const resolved = config ?? { driver: "sqlite" };
  if ("commit" in resolved) return resolved;
  if (resolved.driver === "memory") return new MemoryDriver();
  if (resolved.driver === "sqlite") {
    const path = resolve(resolved.path ?? process.env.TROUPE_STORAGE_PATH ?? DEFAULT_SQLITE_PATH);
    mkdirSync(dirname(path), { recursive: true });
    return new SqliteDriver({ path, synchronous: resolved.synchronous });
  }
  throw errors.config(`Unknown storage driver "${String((resolved as { driver: unknown }).driver)}"; use "sqlite" or "memory".`);
}
