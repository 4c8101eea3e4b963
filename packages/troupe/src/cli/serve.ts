// `troupe start`: load the registry and serve it until a signal.

import type { TroupeServer } from "../server/node/serve.ts";
import type { ServeArgs } from "./args.ts";
import { explainListenError } from "./listen-error.ts";
import { findRegistryFile, type LoadedRegistry, loadRegistry, type ServableRegistry } from "./load-registry.ts";
import { stopOnSignal } from "./signals.ts";

export function announce(server: TroupeServer, loaded: LoadedRegistry): void {
  console.log(`Troupe listening on ${server.url} (actors: ${Object.keys(loaded.registry.definitions).join(", ")})`);
}

/** Serves `registry`; a failed listen becomes an error that says which address and what to do. */
export async function listen(registry: ServableRegistry, host: string, port: number): Promise<TroupeServer> {
  try {
    return await registry.serve({ host, port });
  } catch (error) {
    await registry.shutdown?.();
    throw explainListenError(error, host, port);
  }
}

/** The registry reads `--storage` where it reads its default storage from (when its setup() names none). */
export function exportStorage(args: ServeArgs): void {
  if (args.storage !== undefined) process.env.TROUPE_STORAGE_URL = args.storage;
}

export async function runStart(args: ServeArgs): Promise<void> {
  exportStorage(args);
  const loaded = await loadRegistry(findRegistryFile(args.file, process.cwd()));
  const server = await listen(loaded.registry, args.host, args.port);
  announce(server, loaded);
  stopOnSignal(() => server.close());
}
