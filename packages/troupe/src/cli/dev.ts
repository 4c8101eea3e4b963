// `troupe dev`: serve the registry and reload it when a file it imports changes. A reload that
// fails keeps the last good registry serving, and a first load that fails waits for a fix: both
// say why and try again on the next save.

import { type FSWatcher, watch } from "node:fs";
import { relative } from "node:path";
import type { ServeArgs } from "./args.ts";
import {
  findRegistryFile,
  INSTALL_TSX,
  type LoadedRegistry,
  loadRegistry,
  runtimeImportsTypeScript,
  type ServedRegistry,
} from "./load-registry.ts";
import { announce, ensureInspectorToken, exportDefaults, exportStorage, listen } from "./serve.ts";
import { stopOnSignal } from "./signals.ts";

const RELOAD_DEBOUNCE_MS = 50;

interface Serving {
  loaded: LoadedRegistry;
  server: ServedRegistry;
}

export async function runDev(args: ServeArgs): Promise<void> {
  exportStorage(args);
  exportDefaults("dev");
  // The registry reads it when it serves (setup()'s own token wins); reloads keep it.
  ensureInspectorToken();
  const dev = new DevServer(findRegistryFile(args.file, process.cwd()), args);
  await dev.load(undefined);
  console.log("Watching for changes.");
  stopOnSignal(() => dev.stop());
}

class DevServer {
  readonly #path: string;
  readonly #host: string;
  /** The requested port until the first listen, then the bound one: reloads keep it, so clients reconnect. */
  #port: number;
  #current: Serving | undefined;
  #watchers: FSWatcher[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reloading: Promise<void> = Promise.resolve();
  #toldAboutTsx = false;

  constructor(path: string, args: ServeArgs) {
    this.#path = path;
    this.#host = args.host;
    this.#port = args.port;
  }

  /** Loads and serves the registry; `changed` is the file whose change caused it (none at start). */
  async load(changed: string | undefined): Promise<void> {
    if (changed !== undefined) console.log(`${relative(process.cwd(), changed)} changed: reloading...`);
    const files = new Set<string>();
    let loaded: LoadedRegistry;
    try {
      loaded = await loadRegistry(this.#path, undefined, files);
    } catch (error) {
      const what = this.#current
        ? "Reload failed; still serving the last good registry."
        : `Could not load ${relative(process.cwd(), this.#path)}; waiting for a fix.`;
      // Watching before saying so: whoever reads the message may save the fix at once.
      this.#watch([...files, ...(this.#current?.loaded.files ?? [])]);
      console.error(`${what} Fix the error below and save again.\n`, error);
      return;
    }
    const previous = this.#current;
    this.#current = undefined;
    await previous?.server.close();
    try {
      const server = await listen(loaded.registry, this.#host, this.#port);
      this.#watch(loaded.files);
      this.#serve(loaded, server);
    } catch (error) {
      // At start, a port in use (say) is not fixed by editing a file: the command fails.
      if (changed === undefined) throw error;
      this.#watch([...files, ...(previous?.loaded.files ?? [])]);
      console.error(previous ? "The new registry could not be served; serving the last good one again.\n" : "", error);
      if (previous) this.#serve(previous.loaded, await listen(previous.loaded.registry, this.#host, this.#port));
    }
  }

  #serve(loaded: LoadedRegistry, server: ServedRegistry): void {
    this.#current = { loaded, server };
    this.#port = server.port;
    announce(server, loaded, true);
    if (loaded.loader === "runtime" && runtimeImportsTypeScript() !== "always" && !this.#toldAboutTsx) {
      this.#toldAboutTsx = true;
      console.log(
        `Without tsx only ${relative(process.cwd(), this.#path)} itself reloads; to reload the files it imports too: ${INSTALL_TSX}`,
      );
    }
  }

  #watch(files: string[]): void {
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
    for (const file of new Set(files)) {
      const onChange = () => {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => {
          this.#reloading = this.#reloading.then(() => this.load(file)).catch((error: unknown) => console.error("Reload failed:", error));
        }, RELOAD_DEBOUNCE_MS);
      };
      try {
        this.#watchers.push(watch(file, onChange));
      } catch {
        // Deleted since it was imported: the files that remain are watched, and the next load sees it gone.
      }
    }
  }

  async stop(): Promise<void> {
    for (const w of this.#watchers) w.close();
    clearTimeout(this.#timer);
    await this.#reloading;
    await this.#current?.server.close();
  }
}
