// `setup({ use })`: the registry of actor definitions, and the runtime that serves them in-process.

import type { Logger } from "pino";
import { type AnyActorDefinition, ActorDefinition } from "../actor/definition.ts";
import { errors } from "../base/errors.ts";
import type { Client } from "../client/types.ts";
import { checkInspectorConfig, type InspectorConfig, inspectorToken } from "../inspector/config.ts";
import { Inspector } from "../inspector/inspector.ts";
import type { StorageDriver } from "../storage/driver.ts";
import { createApp } from "../server/app.ts";
import { ClientLimits } from "../server/client-limits.ts";
import type { ServeOptions, TroupeServer } from "../server/node/serve.ts";
import { resolveTransportOptions, type TransportConfig, type TransportOptions } from "../server/options.ts";
import { checkMetricsConfig, type MetricsConfig, metricsAccess } from "../telemetry/metrics-config.ts";
import { METRICS_PATH, MetricsEndpoint } from "../telemetry/metrics-endpoint.ts";
import { defaultLogger } from "./logger.ts";
import { Runtime } from "./runtime.ts";
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
   * GET /metrics in the Prometheus format (docs/observability.md): `true`, or `{ token }` to ask
   * scrapers for a bearer token. Default: on when TROUPE_METRICS_TOKEN or TROUPE_METRICS=1 is set.
   */
  metrics?: MetricsConfig | boolean;
}

/** What `registry.serve()` returns: the server, and where its inspector and metrics are when they are on. */
export interface RegistryServer extends TroupeServer {
  readonly inspector: { readonly url: string; readonly token: string } | undefined;
  readonly metrics: { readonly url: string; readonly tokenRequired: boolean } | undefined;
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
  "metrics",
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
  #metrics: MetricsEndpoint | undefined;

  constructor(config: RegistryConfig<A>) {
    this.config = config;
    this.definitions = config.use;
    this.transport = resolveTransportOptions(config);
    this.logger = config.logging?.logger ?? defaultLogger(config.logging?.level, process.env);
  }

  /** @internal The registry's own runtime on its configured storage, started on first use. */
  runtime(): Runtime<A> {
    if (this.#runtime === undefined) {
      this.#runtime = new Runtime(this.definitions, openStorage(this.config.storage), this.logger);
      this.#metrics?.watch(this.#runtime.host);
    }
    return this.#runtime;
  }

  /** The metrics endpoint, created on first use: whether it is on is read from the environment then. */
  #metricsOf(): MetricsEndpoint {
    this.#metrics ??= new MetricsEndpoint(() => this.runtime().host, metricsAccess(this.config.metrics, process.env));
    return this.#metrics;
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
  async handler(request: Request): Promise<Response> {
    const metrics = this.#metricsOf();
    this.#app ??= createApp({
      host: () => this.runtime().host,
      options: this.transport,
      logger: this.logger,
      extensions: [this.#inspectorOf().inspector, metrics],
    });
    // Counting starts before the first request is served (prom-client loads once, when metrics are on).
    await metrics.start();
    return this.#app.fetch(request);
  }

  /** Serves HTTP and WebSocket on `host:port` (default 127.0.0.1:6420); `close()` drains and saves. */
  async serve(options: ServeOptions = {}): Promise<RegistryServer> {
    // Loaded on demand so that library use and fetch-only runtimes never load node:http or ws.
    const { nodeClientAddress, startServer } = await import("../server/node/serve.ts");
    const { inspector, token } = this.#inspectorOf();
    const metrics = this.#metricsOf();
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
    const server = await startServer(
      { app, host: runtime.host, options: this.transport, logger: this.logger, shutdown: () => this.shutdown(), extensions, limits },
      options,
    );
    return Object.assign(server, {
      inspector: token === undefined ? undefined : { url: `${server.url}/inspector`, token },
      metrics: metrics.enabled ? { url: `${server.url}${METRICS_PATH}`, tokenRequired: metrics.tokenRequired } : undefined,
    });
  }

  /** Sleeps every live actor, saves their state and closes storage. */
  async shutdown(): Promise<void> {
    const runtime = this.#runtime;
    this.#runtime = undefined;
    await runtime?.shutdown();
  }
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
  checkMetricsConfig(config.metrics);
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
