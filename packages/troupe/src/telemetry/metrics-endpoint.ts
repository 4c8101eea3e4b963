// GET /metrics, in the Prometheus text format, as a server extension beside the actors. prom-client
// is loaded by `start()` (the registry calls it before serving), so that `import "troupe"` and
// a registry that never serves metrics do not load it.

import type { Hono } from "hono";
import type { ActorError } from "../base/errors.ts";
import type { ActorHost } from "../host/host.ts";
import { bearerToken, TokenCheck } from "../inspector/auth.ts";
import type { ServerExtension } from "../server/extension.ts";
import { wireError } from "../server/http-messages.ts";
import type { TrafficObserver, Transport } from "../server/traffic.ts";
import type { ActorMetrics } from "./actor-metrics.ts";
import { metricsErrors } from "./errors.ts";
import type { MetricsAccess } from "./metrics-config.ts";

export const METRICS_PATH = "/metrics";

function errorResponse(error: ActorError, headers: Record<string, string> = {}): Response {
  return Response.json(wireError(error), { status: error.statusCode, headers });
}

export class MetricsEndpoint implements ServerExtension {
  readonly #host: () => ActorHost;
  readonly #check: TokenCheck | undefined;
  readonly #enabled: boolean;
  #metrics: ActorMetrics | undefined;
  #loading: Promise<void> | undefined;
  /** Forwards to the metrics once loaded (the server reads it when it is built, possibly before); none while off. */
  readonly traffic: TrafficObserver | undefined;

  constructor(host: () => ActorHost, access: MetricsAccess | undefined) {
    this.#host = host;
    this.#enabled = access !== undefined;
    this.#check = access?.token === undefined ? undefined : new TokenCheck(access.token);
    this.traffic = !this.#enabled
      ? undefined
      : {
          received: (transport: Transport, bytes: number) => this.#metrics?.received(transport, bytes),
          sent: (transport: Transport, bytes: number) => this.#metrics?.sent(transport, bytes),
          failed: (transport: Transport, error: ActorError) => this.#metrics?.failed(transport, error),
        };
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Whether a scrape must send a bearer token. */
  get tokenRequired(): boolean {
    return this.#check !== undefined;
  }

  /** Loads prom-client and starts counting the current host's actors; nothing while metrics are off. */
  start(): Promise<void> {
    if (!this.#enabled) return Promise.resolve();
    this.#loading ??= (async () => {
      const [prom, { ActorMetrics }] = await Promise.all([import("prom-client"), import("./actor-metrics.ts")]);
      this.#metrics = new ActorMetrics(prom, this.#host);
      this.#metrics.watch(this.#host());
    })();
    return this.#loading;
  }

  /** A new host of the registry (after a restart) is counted from its start, once metrics are loaded. */
  watch(host: ActorHost): void {
    this.#metrics?.watch(host);
  }

  routes(app: Hono): void {
    if (!this.#enabled) {
      app.get(METRICS_PATH, () => errorResponse(metricsErrors.disabled()));
      return;
    }
    const check = this.#check;
    app.get(METRICS_PATH, async (c) => {
      if (check !== undefined && !(await check.accepts(bearerToken(c.req.raw)))) {
        return errorResponse(metricsErrors.unauthorized(), { "www-authenticate": 'Bearer realm="troupe-metrics"' });
      }
      await this.start();
      const registry = this.#metrics!.registry;
      return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
    });
  }
}
