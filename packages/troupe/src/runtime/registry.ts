// `setup({ use })`: the registry of actor definitions, and the runtime that serves them in-process.

import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { Compatibility } from "../actor/compatibility.ts";
import { type AnyActorDefinition, ActorDefinition } from "../actor/definition.ts";
import { checkKeys } from "../base/config-keys.ts";
import { errors } from "../base/errors.ts";
import { type ClusterConfig, resolveCluster } from "../cluster/config.ts";
import { ClusterNode } from "../cluster/node.ts";
import type { Client } from "../client/types.ts";
import { checkInspectorConfig, type InspectorConfig, inspectorToken } from "../inspector/config.ts";
import { Inspector } from "../inspector/inspector.ts";
import type { StorageDriver } from "../storage/driver.ts";
import { createApp } from "../server/app.ts";
import { bunWebSocketHandlers, fetchHandler } from "../server/fetch-upgrade.ts";
import { type HonoUpgradeWebSocket, honoHandler } from "../server/hono-web-socket.ts";
import type { AttachedSockets, NodeRequestListener, UpgradingServer } from "../server/node/attach.ts";
import { ClientLimits } from "../server/client-limits.ts";
import type { ServeOptions, TroupeServer } from "../server/node/serve.ts";
import { Upgrades } from "../server/upgrades.ts";
import { DEFAULT_PORT, resolveTransportOptions, type TransportConfig, type TransportOptions } from "../server/options.ts";
import { checkMetricsConfig, type MetricsConfig, metricsAccess } from "../telemetry/metrics-config.ts";
import { METRICS_PATH, MetricsEndpoint } from "../telemetry/metrics-endpoint.ts";
import { defaultLogger } from "./logger.ts";
import { Runtime, type RuntimeOptions } from "./runtime.ts";
import { openClusterStore } from "../storage/postgres/cluster-store.ts";
import { PostgresDriver } from "../storage/postgres/driver.ts";
import { openStorage, type StorageConfig } from "./storage-config.ts";

/** RivetKit's setup() keys: accepted so that its apps start, ignored with a warning naming the reason. */
export type IgnoredRegistryKeys = { [K in keyof typeof IGNORED_SETUP_KEYS]?: unknown };

export interface RegistryConfig<A extends Record<string, AnyActorDefinition>> extends TransportConfig, IgnoredRegistryKeys {
  use: A;
  /** Where actors keep their data. Default: SQLite at `.troupe/troupe.db`. */
  storage?: StorageConfig;
  /** `baseLogger` is RivetKit's name for `logger`. */
  logging?: { level?: string; logger?: Logger; baseLogger?: Logger };
  /**
   * "troupe" (default) keeps Troupe's safer behaviour where it differs from RivetKit on purpose;
   * "rivetkit" takes RivetKit's (docs/compatibility.md lists each difference).
   */
  compatibility?: Compatibility;
  /** `registry.start()` prints no banner. */
  noWelcome?: boolean;
  /**
   * The inspector (docs/inspector.md): on with a token, given here or in TROUPE_INSPECTOR_TOKEN;
   * `false` keeps it off whatever the environment says.
   */
  inspector?: InspectorConfig | false;
  /**
   * GET /metrics in the Prometheus format (docs/observability.md): `true`, or `{ token }` to ask
   * scrapers for a bearer token. Default: on when TROUPE_METRICS_TOKEN or TROUPE_METRICS=1 is set.
   */
  metrics?: MetricsConfig | boolean;
  /**
   * Cluster mode (docs/cluster.md): on when the registry serves with PostgreSQL storage, so that
   * several servers share its actors, one live instance each; `false` turns it off.
   */
  cluster?: ClusterConfig | false;
}

/** What `registry.serve()` returns: the server, and where its inspector and metrics are when they are on. */
export interface RegistryServer extends TroupeServer {
  readonly inspector: { readonly url: string; readonly token: string } | undefined;
  readonly metrics: { readonly url: string; readonly tokenRequired: boolean } | undefined;
}

const REGISTRY_KEYS = [
  "use",
  "storage",
  "logging",
  "maxIncomingMessageSize",
  "maxOutgoingMessageSize",
  "cors",
  "limits",
  "inspector",
  "basePath",
  "noWelcome",
  "metrics",
  "cluster",
];

const NO_ENGINE = "Troupe has no engine: the registry runs and serves its own actors";
/** RivetKit's setup() keys that have no meaning here, each with the reason its warning gives. */
const IGNORED_SETUP_KEYS = {
  runtime: "actors run in this Node.js process",
  wasm: "actors run in this Node.js process",
  sqlite: "actor databases are local SQLite files (or PostgreSQL), chosen with `storage`",
  endpoint: NO_ENGINE,
  token: NO_ENGINE,
  namespace: NO_ENGINE,
  headers: NO_ENGINE,
  startEngine: NO_ENGINE,
  engineHost: NO_ENGINE,
  enginePort: NO_ENGINE,
  engineVersion: NO_ENGINE,
  configurePool: NO_ENGINE,
  envoy: NO_ENGINE,
  serverless: `${NO_ENGINE}; mount registry.handler in your server instead`,
  staticDir: "static files are not served; serve them from your own server",
  httpBasePath: "Troupe's `basePath` sets the path registry.handler serves under",
  httpPort: "pass the port to registry.serve({ port }) or `troupe start --port`",
  httpHost: "pass the host to registry.serve({ host }) or `troupe start --host`",
  shutdown: "registry.shutdown() and serve().close() drain within each actor's sleepGracePeriod",
  test: "RivetKit-internal",
} as const;

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export class Registry<A extends Record<string, AnyActorDefinition>> {
  readonly definitions: A;
  readonly config: RegistryConfig<A>;
  readonly logger: Logger;
  readonly transport: TransportOptions;
  #runtime: Runtime<A> | undefined;
  #mounted: { fetch: (request: Request, server?: unknown) => Promise<Response>; upgrades: Upgrades } | undefined;
  #nodeListener: Promise<NodeRequestListener> | undefined;
  #inspector: { inspector: Inspector; token: string | undefined } | undefined;
  #metrics: MetricsEndpoint | undefined;
  #started: Promise<{ server: RegistryServer; stop: () => void } | undefined> | undefined;

  constructor(config: RegistryConfig<A>) {
    this.config = config;
    this.definitions = config.use;
    this.transport = resolveTransportOptions(config);
    this.logger = config.logging?.logger ?? config.logging?.baseLogger ?? defaultLogger(config.logging?.level, process.env);
  }

  /** @internal The registry's own runtime on its configured storage, started on first use. */
  runtime(): Runtime<A> {
    if (this.#runtime === undefined) {
      this.#runtime = new Runtime(this.definitions, openStorage(this.config.storage), this.logger, this.#runtimeOptions());
      this.#metrics?.watch(this.#runtime.host);
    }
    return this.#runtime;
  }

  /** The metrics endpoint, created on first use: whether it is on is read from the environment then. */
  #metricsOf(): MetricsEndpoint {
    this.#metrics ??= new MetricsEndpoint(() => this.runtime().host, metricsAccess(this.config.metrics, process.env));
    return this.#metrics;
  }

  /** The runtime that serves: a cluster node when storage is PostgreSQL (and cluster mode is not off). */
  #servingRuntime(): { runtime: Runtime<A>; address: string | undefined } | undefined {
    if (this.#runtime) return undefined;
    const driver = openStorage(this.config.storage);
    const cluster = driver instanceof PostgresDriver ? resolveCluster(this.config.cluster, process.env) : undefined;
    if (cluster === undefined) {
      this.#runtime = new Runtime(this.definitions, driver, this.logger, this.#runtimeOptions());
      return undefined;
    }
    const { leaseMs } = cluster;
    // A statement of the cluster that takes a third of the lease has failed: the node fences itself at three quarters.
    const openStore = () => openClusterStore({ ...(driver as PostgresDriver).options, timeoutMs: Math.max(100, Math.floor(leaseMs / 3)) });
    const node = new ClusterNode({ openStore, leaseMs, logger: this.logger });
    this.#runtime = new Runtime(this.definitions, driver, this.logger, { ...this.#runtimeOptions(), cluster: node });
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
    return new Runtime(this.definitions, driver, logger, this.#runtimeOptions());
  }

  #runtimeOptions(): RuntimeOptions {
    return { compatibility: this.config.compatibility, limits: this.transport };
  }

  /** The app and the WebSocket side that the mounting adapters share (docs/mounting.md). */
  #mount() {
    if (this.#mounted === undefined) {
      const host = () => this.runtime().host;
      const extensions = [this.#inspectorOf().inspector, this.#metricsOf()];
      const limits = new ClientLimits(this.transport.limits);
      const app = createApp({ host, options: this.transport, logger: this.logger, extensions, limits });
      const upgrades = new Upgrades({ host, options: this.transport, logger: this.logger, extensions, limits });
      this.#mounted = { fetch: fetchHandler(app, upgrades), upgrades };
    }
    return this.#mounted;
  }

  /**
   * The routes as a fetch handler, under `basePath`, to mount in any fetch server. WebSockets
   * upgrade here in Deno (`Deno.serve(registry.handler)`) and in Bun when given its server
   * (`Bun.serve({ fetch: registry.handler, websocket: registry.websocket })`); in Node, see `attach`.
   */
  readonly handler = async (request: Request, server?: unknown): Promise<Response> => {
    const mounted = this.#mount();
    // Counting starts before the first request is served (prom-client loads once, when metrics are on).
    await this.#metricsOf().start();
    return mounted.fetch(request, server);
  };

  /** Bun's WebSocket handlers, for the `websocket` option of Bun.serve beside `fetch: registry.handler`. */
  readonly websocket = bunWebSocketHandlers;

  /**
   * A Hono handler for the routes, with WebSockets through Hono's helper (the `upgradeWebSocket`
   * of @hono/node-ws, hono/bun or hono/deno): `app.all("/api/troupe/*", registry.honoHandler(upgradeWebSocket))`.
   */
  honoHandler(upgradeWebSocket: HonoUpgradeWebSocket): MiddlewareHandler {
    return honoHandler(this.#mount().upgrades, this.handler, upgradeWebSocket);
  }

  /** Node's (req, res) listener for the routes, for Express (`app.use(registry.nodeHandler)`) and node:http. */
  readonly nodeHandler: NodeRequestListener = (req, res) => {
    this.#nodeListener ??= import("../server/node/attach.ts").then(({ nodeRequestListener }) => nodeRequestListener(this.handler));
    void this.#nodeListener.then((listener) => listener(req, res));
  };

  /** Serves the registry's WebSockets on an existing Node server (its "upgrade" event), under `basePath`. */
  async attach(server: UpgradingServer): Promise<AttachedSockets> {
    const { attachWebSockets } = await import("../server/node/attach.ts");
    return attachWebSockets(server, this.#mount().upgrades, this.logger);
  }

  /** Serves HTTP and WebSocket on `host:port` (default 127.0.0.1:6420); `close()` drains and saves. */
  async serve(options: ServeOptions = {}): Promise<RegistryServer> {
    // Loaded on demand so that library use and fetch-only runtimes never load node:http or ws.
    const { nodeClientAddress, startServer } = await import("../server/node/serve.ts");
    const { inspector, token } = this.#inspectorOf();
    const metrics = this.#metricsOf();
    const clustered = this.#servingRuntime();
    const runtime = this.runtime();
    try {
      // Storage is read once before listening, so that an unreachable database fails here rather
      // than at the first request.
      await runtime.host.driver.nextAlarm();
      await metrics.start();
    } catch (error) {
      await this.shutdown();
      throw error;
    }
    const extensions = [inspector, metrics];
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
    const upgrades = new Upgrades({ host: () => runtime.host, options: this.transport, logger: this.logger, extensions, limits });
    const server = await startServer({ app, upgrades, logger: this.logger, shutdown: () => this.shutdown() }, options);
    if (clustered) {
      try {
        await clustered.runtime.joinCluster(clustered.address ?? advertisedUrl(server.url));
      } catch (error) {
        await server.close();
        throw error;
      }
    }
    return Object.assign(server, {
      inspector: token === undefined ? undefined : { url: `${server.url}/inspector`, token },
      metrics: metrics.enabled ? { url: `${server.url}${METRICS_PATH}`, tokenRequired: metrics.tokenRequired } : undefined,
    });
  }

  /**
   * RivetKit's entry point: serves on PORT (default 6420) in the background, prints where (unless
   * `noWelcome`), and drains on SIGINT/SIGTERM. Returns nothing, as RivetKit's does; `shutdown()` stops it.
   */
  start(): void {
    if (this.#started) return;
    const port = Number(process.env.PORT ?? process.env.TROUPE_PORT ?? DEFAULT_PORT);
    const stop = () => {
      void this.shutdown().finally(() => process.exit(0));
    };
    this.#started = this.serve({ port, host: process.env.HOST ?? process.env.TROUPE_HOST }).then(
      (server) => {
        process.once("SIGINT", stop).once("SIGTERM", stop);
        const names = Object.keys(this.definitions).join(", ");
        if (!this.config.noWelcome) console.log(`Troupe is serving ${names || "no actors"} at ${server.url}`);
        return { server, stop };
      },
      (error: unknown) => {
        this.logger.error({ err: error }, "registry.start() could not serve");
        console.error(`registry.start() could not serve on port ${port}: ${String(error)}`);
        process.exitCode = 1;
        this.#started = undefined;
        return undefined;
      },
    );
  }

  /** Stops what start() or the runtime holds: sleeps every live actor, saves their state and closes storage. */
  async shutdown(): Promise<void> {
    const started = await this.#started;
    this.#started = undefined;
    if (started) {
      process.off("SIGINT", started.stop).off("SIGTERM", started.stop);
      await started.server.close();
    }
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
  checkKeys("setup() key", config as unknown as Record<string, unknown>, REGISTRY_KEYS, IGNORED_SETUP_KEYS);
  if (typeof config.use !== "object" || config.use === null) throw errors.config("setup() needs `use: { name: actor(...) }`.");
  checkInspectorConfig(config.inspector);
  checkMetricsConfig(config.metrics);
  if (config.compatibility !== undefined && config.compatibility !== "troupe" && config.compatibility !== "rivetkit") {
    throw errors.config(`setup(): compatibility must be "troupe" or "rivetkit", got ${JSON.stringify(config.compatibility)}.`);
  }
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
