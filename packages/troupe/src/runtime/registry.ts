// `setup({ use })`: the registry of actor definitions, and the runtime that serves them in-process.

import { pino, type Logger } from "pino";
import { type AnyActorDefinition, ActorDefinition } from "../actor/definition.ts";
import { errors } from "../base/errors.ts";
import { type ClusterConfig, resolveCluster } from "../cluster/config.ts";
import { ClusterNode } from "../cluster/node.ts";
import type { Client } from "../client/types.ts";
import { checkInspectorConfig, type InspectorConfig, inspectorToken } from "../inspector/config.ts";
import { Inspector } from "../inspector/inspector.ts";
import type { StorageDriver } from "../storage/driver.ts";
import { createApp } from "../server/app.ts";
import { ClientLimits } from "../server/client-limits.ts";
import type { ServeOptions, TroupeServer } from "../server/node/serve.ts";
import { resolveTransportOptions, type TransportConfig, type TransportOptions } from "../server/options.ts";
import { Runtime } from "./runtime.ts";
import { openClusterStore } from "../storage/postgres/cluster-store.ts";
import { PostgresDriver } from "../storage/postgres/driver.ts";
import { openStorage, type StorageConfig } from "./storage-config.ts";

export interface RegistryConfig<A extends Record<string, AnyActorDefinition>> extends TransportConfig {
  use: A;
  /** Where actors keep their data. Default: SQLite at `.troupe/troupe.db`. */
  storage?: StorageConfig;
  logging?: { level?: string; logger?: Logger };
  /**
   * The inspector (docs/inspector.md): on with a token, given here or in TROUPE_INSPECTOR_TOKEN;
   * `false` keeps it off whatever the environment says.
   */
  inspector?: InspectorConfig | false;
  /**
   * Cluster mode (docs/cluster.md): on when the registry serves with PostgreSQL storage, so that
   * several servers share its actors, one live instance each; `false` turns it off.
   */
  cluster?: ClusterConfig | false;
}

/** What `registry.serve()` returns: the server, and where its inspector is when it is on. */
export interface RegistryServer extends TroupeServer {
  readonly inspector: { readonly url: string; readonly token: string } | undefined;
}

const REGISTRY_KEYS = new Set([
  "use",
  "storage",
  "logging",
  "maxIncomingMessageSize",
  "maxOutgoingMessageSize",
  "cors",
  "limits",
  "inspector",
  "cluster",
]);
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export class Registry<A extends Record<string, AnyActorDefinition>> {
  readonly definitions: A;
  readonly config: RegistryConfig<A>;
  readonly logger: Logger;
  readonly transport: TransportOptions;
  #runtime: Runtime<A> | undefined;
  #app: ReturnType<typeof createApp> | undefined;
  #inspector: { inspector: Inspector; token: string | undefined } | undefined;

  constructor(config: RegistryConfig<A>) {
    this.config = config;
    this.definitions = config.use;
    this.transport = resolveTransportOptions(config);
    this.logger = config.logging?.logger ?? pino({ level: config.logging?.level ?? process.env.TROUPE_LOG_LEVEL ?? "warn" });
  }

  /** @internal The registry's own runtime on its configured storage, started on first use. */
  runtime(): Runtime<A> {
    this.#runtime ??= new Runtime(this.definitions, openStorage(this.config.storage), this.logger);
    return this.#runtime;
  }

  /** The runtime that serves: a cluster node when storage is PostgreSQL (and cluster mode is not off). */
  #servingRuntime(): { runtime: Runtime<A>; address: string | undefined } | undefined {
    if (this.#runtime) return undefined;
    const driver = openStorage(this.config.storage);
    const cluster = driver instanceof PostgresDriver ? resolveCluster(this.config.cluster, process.env) : undefined;
    if (cluster === undefined) {
      this.#runtime = new Runtime(this.definitions, driver, this.logger);
      return undefined;
    }
    const { leaseMs } = cluster;
    // A statement of the cluster that takes a third of the lease has failed: the node fences itself at three quarters.
    const openStore = () => openClusterStore({ ...(driver as PostgresDriver).options, timeoutMs: Math.max(100, Math.floor(leaseMs / 3)) });
    const node = new ClusterNode({ openStore, leaseMs, logger: this.logger });
    this.#runtime = new Runtime(this.definitions, driver, this.logger, node);
    return { runtime: this.#runtime, address: cluster.address };
  }

  /** The inspector, created on first use: its token is read from the environment then. */
  #inspectorOf(): { inspector: Inspector; token: string | undefined } {
    if (this.#inspector === undefined) {
      const token = inspectorToken(this.config.inspector, process.env);
      this.#inspector = { inspector: new Inspector(() => this.runtime().host, token), token };
    }
    return this.#inspector;
  }

  /** A runtime over another storage driver (tests, tools). */
  createRuntime(driver: StorageDriver, logger: Logger = this.logger): Runtime<A> {
    return new Runtime(this.definitions, driver, logger);
  }

  /** The HTTP routes as a fetch handler, to mount in any fetch server (WebSockets need `serve`). */
  handler(request: Request): Promise<Response> {
    this.#app ??= createApp({
      host: () => this.runtime().host,
      options: this.transport,
      logger: this.logger,
      extensions: [this.#inspectorOf().inspector],
    });
    return Promise.resolve(this.#app.fetch(request));
  }

  /** Serves HTTP and WebSocket on `host:port` (default 127.0.0.1:6420); `close()` drains and saves. */
  async serve(options: ServeOptions = {}): Promise<RegistryServer> {
    // Loaded on demand so that library use and fetch-only runtimes never load node:http or ws.
    const { nodeClientAddress, startServer } = await import("../server/node/serve.ts");
    const { inspector, token } = this.#inspectorOf();
    const clustered = this.#servingRuntime();
    const runtime = this.runtime();
    try {
      // Storage is read once before listening, so that an unreachable database fails here rather
      // than at the first request.
      await runtime.host.driver.nextAlarm();
    } catch (error) {
      await this.shutdown();
      throw error;
    }
    const extensions = [inspector];
    // One set of per-client limits for HTTP and WebSocket: a connection by key may create its actor.
    const limits = new ClientLimits(this.transport.limits);
    const app = createApp({
      host: () => runtime.host,
      options: this.transport,
      logger: this.logger,
      clientAddress: nodeClientAddress,
      extensions,
      limits,
    });
    const server = await startServer(
      { app, host: runtime.host, options: this.transport, logger: this.logger, shutdown: () => this.shutdown(), extensions, limits },
      options,
    );
    if (clustered) {
      try {
        await clustered.runtime.joinCluster(clustered.address ?? advertisedUrl(server.url));
      } catch (error) {
        await server.close();
        throw error;
      }
    }
    return Object.assign(server, { inspector: token === undefined ? undefined : { url: `${server.url}/inspector`, token } });
  }

  /** Sleeps every live actor, saves their state and closes storage. */
  async shutdown(): Promise<void> {
    const runtime = this.#runtime;
    this.#runtime = undefined;
    await runtime?.shutdown();
  }
}

/**
 * The URL other nodes reach a server at: the one it listens on, unless it listens on every
 * interface, where the first external IPv4 address stands in for it.
 */
function advertisedUrl(listening: string): string {
  const url = new URL(listening);
  if (url.hostname !== "0.0.0.0" && url.hostname !== "[::]") return listening;
  const { networkInterfaces } = process.getBuiltinModule("node:os");
  for (const addresses of Object.values(networkInterfaces())) {
    const external = addresses?.find((a) => a.family === "IPv4" && !a.internal);
    if (external) {
      url.hostname = external.address;
      return url.origin;
    }
  }
  return listening;
}

export function setup<A extends Record<string, AnyActorDefinition>>(config: RegistryConfig<A>): Registry<A> {
  if (typeof config !== "object" || config === null) throw errors.config("setup() takes a config object.");
  const unknown = Object.keys(config).filter((k) => !REGISTRY_KEYS.has(k));
  if (unknown.length > 0) {
    throw errors.config(
      `Unknown registry config key${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}. Known keys: ${[...REGISTRY_KEYS].join(", ")}.`,
    );
  }
  if (typeof config.use !== "object" || config.use === null) throw errors.config("setup() needs `use: { name: actor(...) }`.");
  checkInspectorConfig(config.inspector);
  resolveCluster(config.cluster, {});
  for (const [name, def] of Object.entries(config.use)) {
    if (!NAME_PATTERN.test(name)) {
      throw errors.config(`Actor name "${name}" is invalid: use letters, digits, "_" or "-", at most 64 characters.`);
    }
    if (!(def instanceof ActorDefinition)) throw errors.config(`use.${name} is not an actor definition; build it with actor({...}).`);
  }
  return new Registry(config);
}

/** The in-process typed client of a registry. */
export function createClient<R extends Registry<Record<string, AnyActorDefinition>>>(registry: R): Client<R> {
  return registry.runtime().client as Client<R>;
}
