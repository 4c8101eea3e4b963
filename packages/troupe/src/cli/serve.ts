// `troupe start`: load the registry and serve it until a signal.

import { TOKEN_ENV } from "../inspector/config.ts";
import { LOG_FORMAT_ENV, LOG_LEVEL_ENV } from "../runtime/log-env.ts";
import { METRICS_ENV, METRICS_TOKEN_ENV } from "../telemetry/metrics-config.ts";
import type { ServeArgs } from "./args.ts";
import { explainListenError } from "./listen-error.ts";
import { findRegistryFile, type LoadedRegistry, loadRegistry, type ServableRegistry, type ServedRegistry } from "./load-registry.ts";
import { stopOnSignal } from "./signals.ts";

/** Says where the server listens; `dev` also prints the inspector's token (in the URL fragment, which browsers do not send). */
export function announce(server: ServedRegistry, loaded: LoadedRegistry, showToken: boolean): void {
  console.log(`Troupe listening on ${server.url} (actors: ${Object.keys(loaded.registry.definitions).join(", ")})`);
  const { inspector, metrics } = server;
  if (metrics !== undefined)
    console.log(`Metrics: ${metrics.url}${metrics.tokenRequired ? " (bearer token from TROUPE_METRICS_TOKEN)" : ""}`);
  if (inspector === undefined) return;
  console.log(showToken ? `Inspector: ${inspector.url}#token=${encodeURIComponent(inspector.token)}` : `Inspector: ${inspector.url}`);
}

/**
 * What each command defaults to when the environment does not say (setup()'s own choices win):
 * `dev` logs coloured lines at info and serves /metrics without a token on its local address;
 * `start` logs JSON lines and serves metrics only when TROUPE_METRICS(_TOKEN) asks for them.
 */
export function exportDefaults(command: "dev" | "start"): void {
  const env = process.env;
  if (!env[LOG_FORMAT_ENV]) env[LOG_FORMAT_ENV] = command === "dev" ? "pretty" : "json";
  if (command !== "dev") return;
  if (!env[LOG_LEVEL_ENV]) env[LOG_LEVEL_ENV] = "info";
  if (!env[METRICS_ENV] && !env[METRICS_TOKEN_ENV]) env[METRICS_ENV] = "1";
}

/** `troupe dev` turns the inspector on with a random token when none is set (24 bytes, base64url). */
export function ensureInspectorToken(): void {
  if (process.env[TOKEN_ENV]) return;
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  process.env[TOKEN_ENV] = Buffer.from(bytes).toString("base64url");
}

/** Serves `registry`; a failed listen becomes an error that says which address and what to do. */
export async function listen(registry: ServableRegistry, host: string, port: number): Promise<ServedRegistry> {
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
  if (args.clusterLease !== undefined) process.env.TROUPE_CLUSTER_LEASE_MS = args.clusterLease;
  if (args.clusterAddress !== undefined) process.env.TROUPE_CLUSTER_ADDRESS = args.clusterAddress;
}

export async function runStart(args: ServeArgs): Promise<void> {
  exportStorage(args);
  exportDefaults("start");
  const loaded = await loadRegistry(findRegistryFile(args.file, process.cwd()));
  const server = await listen(loaded.registry, args.host, args.port);
  announce(server, loaded, false);
  stopOnSignal(() => server.close());
}
