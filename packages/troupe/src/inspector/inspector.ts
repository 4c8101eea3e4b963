// The inspector: its HTTP API under /inspector/v1, its live stream and its dashboard at /inspector/,
// served by the actors' own server as a server extension (docs/inspector.md). Without a token it
// is off, and says so.

import { Hono } from "hono";
import { ActorError } from "../base/errors.ts";
import type { ActorHost } from "../host/host.ts";
import type { ServerExtension, SocketHandler } from "../server/extension.ts";
import { wireError } from "../server/http-messages.ts";
import type { InspectorContext } from "./actors.ts";
import { ActivityTracker } from "./activity-tracker.ts";
import { bearerToken, INSPECTOR_PROTOCOL, protocolToken, TokenCheck } from "./auth.ts";
import { dashboardRoutes } from "./dashboard.ts";
import { inspectorErrors } from "./errors.ts";
import { EventHub } from "./event-hub.ts";
import { forwardToRunningNode } from "./remote.ts";
import { actorRoutes } from "./routes/actors.ts";
import { connectionRoutes } from "./routes/connections.ts";
import { consoleRoutes } from "./routes/console.ts";
import { databaseRoutes } from "./routes/database.ts";
import { kvRoutes } from "./routes/kv.ts";
import { queueRoutes } from "./routes/queue.ts";
import { scheduleRoutes } from "./routes/schedules.ts";
import { stateRoutes } from "./routes/state.ts";
import { workflowRoutes } from "./routes/workflow.ts";
import { filterFromQuery, type StreamFilter, serveStream } from "./stream.ts";

export const DASHBOARD_PATH = "/inspector";
export const INSPECTOR_BASE = `${DASHBOARD_PATH}/v1`;
export const STREAM_PATH = `${INSPECTOR_BASE}/stream`;

function errorResponse(error: ActorError, headers: Record<string, string> = {}): Response {
  return Response.json(wireError(error), { status: error.statusCode, headers });
}

function unauthorized(): Response {
  return errorResponse(inspectorErrors.unauthorized(), { "www-authenticate": 'Bearer realm="troupe-inspector"' });
}

export class Inspector implements ServerExtension {
  readonly #check: TokenCheck | undefined;
  readonly #context: InspectorContext;
  readonly #attached = new WeakSet<ActorHost>();

  /** `host` is read on every request, so the inspector follows the registry across a runtime restart. */
  constructor(host: () => ActorHost, token: string | undefined) {
    this.#check = token === undefined ? undefined : new TokenCheck(token);
    this.#context = { host, hub: new EventHub(host), tracker: new ActivityTracker() };
  }

  get enabled(): boolean {
    return this.#check !== undefined;
  }

  /**
   * From its first use on a host (a request or a stream with the token), the inspector watches it:
   * which actions its actors are running, when they woke. Until then the actors report to nobody.
   */
  #watch(): void {
    const host = this.#context.host();
    if (this.#attached.has(host)) return;
    this.#attached.add(host);
    host.observe(this.#context.tracker);
  }

  routes(app: Hono): void {
    const check = this.#check;
    if (check === undefined) {
      const disabled = () => errorResponse(inspectorErrors.disabled());
      app.all(DASHBOARD_PATH, disabled);
      app.all(`${DASHBOARD_PATH}/*`, disabled);
      return;
    }
    const api = new Hono();
    // Before anything else: a request without the token reads no body and finds no actor.
    api.use("*", async (c, next) => {
      if (!(await check.accepts(bearerToken(c.req.raw)))) return unauthorized();
      this.#watch();
      await next();
    });
    api.use("/actors/:id/:under{.+}", forwardToRunningNode(this.#context));
    for (const routes of [
      actorRoutes,
      stateRoutes,
      connectionRoutes,
      queueRoutes,
      scheduleRoutes,
      workflowRoutes,
      databaseRoutes,
      kvRoutes,
      consoleRoutes,
    ]) {
      routes(api, this.#context);
    }
    api.get("/stream", () => errorResponse(new ActorError("request", "upgrade_required", "The stream is a WebSocket endpoint.")));
    app.route(INSPECTOR_BASE, api);
    dashboardRoutes(app, DASHBOARD_PATH);
  }

  async upgrade(request: Request, protocols: readonly string[]): Promise<Response | SocketHandler | undefined> {
    const url = new URL(request.url);
    if (url.pathname !== STREAM_PATH) return undefined;
    if (this.#check === undefined) return errorResponse(inspectorErrors.disabled());
    if (!(await this.#check.accepts(bearerToken(request) ?? protocolToken(protocols)))) return unauthorized();
    this.#watch();
    let filter: StreamFilter;
    try {
      filter = filterFromQuery(url);
    } catch (error) {
      return errorResponse(error as ActorError);
    }
    const hub = this.#context.hub;
    return {
      protocol: protocols.includes(INSPECTOR_PROTOCOL) ? INSPECTOR_PROTOCOL : undefined,
      open: (socket) => serveStream(socket, hub, filter),
    };
  }
}
