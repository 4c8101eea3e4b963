// `troupe start` and `troupe dev`: load the registry, serve it, and (dev) reload on change.

import { type FSWatcher, watch } from "node:fs";
import { relative } from "node:path";
import type { TroupeServer } from "../server/node/serve.ts";
import type { ServeArgs } from "./args.ts";
import { findRegistryFile, INSTALL_TSX, type LoadedRegistry, loadRegistry } from "./load-registry.ts";
import { stopOnSignal } from "./signals.ts";

const RELOAD_DEBOUNCE_MS = 50;

function announce(server: TroupeServer, loaded: LoadedRegistry): void {
  console.log(`Troupe listening on ${server.url} (actors: ${Object.keys(loaded.registry.definitions).join(", ")})`);
}

/** The registry reads `--storage` where it reads its default storage from (when its setup() names none). */
function exportStorage(args: ServeArgs): void {
  if (args.storage !== undefined) process.env.TROUPE_STORAGE_URL = args.storage;
}

export async function runStart(args: ServeArgs): Promise<void> {
  exportStorage(args);
  const loaded = await loadRegistry(findRegistryFile(args.file, process.cwd()));
  const server = await loaded.registry.serve({ host: args.host, port: args.port });
  announce(server, loaded);
  stopOnSignal(() => server.close());
}

export async function runDev(args: ServeArgs): Promise<void> {
  exportStorage(args);
  const path = findRegistryFile(args.file, process.cwd());
  let loaded = await loadRegistry(path);
  let server: TroupeServer | undefined = await loaded.registry.serve({ host: args.host, port: args.port });
  // Reloads keep the port, so that clients reconnect to the new code.
  const port = server.port;
  announce(server, loaded);
  let watchers: FSWatcher[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reloading: Promise<void> = Promise.resolve();

  const reload = async (changed: string) => {
    console.log(`${relative(process.cwd(), changed)} changed: reloading...`);
    await server?.close();
    server = undefined;
    try {
      loaded = await loadRegistry(path);
      server = await loaded.registry.serve({ host: args.host, port });
      announce(server, loaded);
    } catch (error) {
      console.error("Reload failed; fix the error and save again.\n", error);
    }
    watchFiles();
  };
  const watchFiles = () => {
    for (const w of watchers) w.close();
    watchers = loaded.files.map((file) =>
      watch(file, () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          reloading = reloading.then(() => reload(file));
        }, RELOAD_DEBOUNCE_MS);
      }),
    );
  };
  watchFiles();
  console.log("Watching for changes.");
  if (loaded.loader === "node") {
    console.log(`Without tsx only ${relative(process.cwd(), path)} itself reloads; to reload the files it imports too: ${INSTALL_TSX}`);
  }
  stopOnSignal(async () => {
    for (const w of watchers) w.close();
    clearTimeout(timer);
    await reloading;
    await server?.close();
  });
}
