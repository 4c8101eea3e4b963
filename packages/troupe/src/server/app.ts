// The HTTP side of the protocol as a web-standard fetch handler (Hono): health, actor resolution,
// stateless actions and raw requests. It runs on any fetch server; WebSockets need an adapter (node/).

import { type Context, Hono } from "hono";
import { getPath } from "hono/utils/url";
import type { Logger } from "pino";
import { ActorError, isErrorCode } from "../base/errors.ts";
import type { ActorHost } from "../host/host.ts";
import { parseSendOptions } from "../protocol/codec.ts";
import { pathWithin } from "./base-path.ts";
import { ClientLimits } from "./client-limits.ts";
import { corsMiddleware } from "./cors.ts";
import type { ServerExtension } from "./extension.ts";
import { assertCanForward, forwardAction, forwardedBy, forwardHeaders, forwardRequest } from "./forward.ts";
import {
  checkVersion,
  encodedErrorResponse,
  messageResponse,
  parseQuery,
  readMessage,
  requestEncoding,
  requestParams,
  publicWireError,
  wireError,
} from "./http-messages.ts";
import type { TransportOptions } from "./options.ts";
import { callNewActor, parseArgs, parseResolveAction } from "./resolve-and-call.ts";
import { declaredLength, trafficOf } from "./traffic.ts";
import { actorSubpath, type Encoding, HEADERS, PROTOCOL_VERSION, ROUTES } from "../protocol/wire.ts";

export interface AppContext {
  /** Read on every request, so the app follows the registry across a runtime restart. */
  host: () => ActorHost;
  options: TransportOptions;
  logger: Logger;
  /** The client's IP address, when the runtime adapter knows it (the default key of the per-client limits). */
  clientAddress?: (c: Context) => string | undefined;
  /** Served beside the actors by the same app (the inspector). */
  extensions?: readonly ServerExtension[];
  /** The per-client limits, when the server shares them with its WebSocket side; else the app's own. */
  limits?: ClientLimits;
}

const PROTOCOL_HEADERS = [HEADERS.protocol, HEADERS.encoding, HEADERS.params, "authorization", "content-type"];

export function createApp({
  host,
  options,
  logger,
  clientAddress,
  extensions = [],
  limits = new ClientLimits(options.limits),
}: AppContext): Hono {
  const base = options.basePath;
  // Routes match the path after the base path; a path outside it matches none (404).
  const app = new Hono({ getPath: base === "" ? getPath : (request) => pathWithin(getPath(request), base) ?? OUTSIDE_BASE });
  const traffic = trafficOf(extensions);
  if (traffic !== undefined) {
    app.use("*", async (c, next) => {
      traffic.received("http", declaredLength(c.req.raw.headers));
      await next();
      traffic.sent("http", declaredLength(c.res.headers));
    });
  }
  // A call another node forwarded counts against the limits of the client that made it.
  const addressOf = (c: Context) => forwardedBy(c.req.raw, host().clusterToken)?.client ?? clientAddress?.(c);
  const clientOf = (c: Context) => options.limits.clientKey(c.req.raw, addressOf(c));
  if (options.cors) {
    const { allowHeaders } = options.cors;
    // Without a list, a preflight is answered with the headers it asks for, which raw fetches need.
    app.use("*", corsMiddleware(options.cors, allowHeaders ? [...PROTOCOL_HEADERS, ...allowHeaders] : []));
  }
  app.use("*", async (c, next) => {
    checkVersion(c.req.raw);
    // Every call holds memory until it is answered: a client gets a bounded number at once.
    if (c.req.path === ROUTES.health) await next();
    else await limits.inFlight(clientOf(c), next);
  });

  app.get(ROUTES.health, async (c) => {
    // A cluster node that is leaving still serves, but a load balancer should send it nothing new.
    if (host().draining) return c.json({ status: "draining", runtime: "troupe", protocol: PROTOCOL_VERSION }, 503);
    const problem = await host().storageProblem();
    if (problem === undefined) return c.json({ status: "ok", runtime: "troupe", protocol: PROTOCOL_VERSION });
    return c.json({ status: "unavailable", runtime: "troupe", protocol: PROTOCOL_VERSION, error: wireError(problem) }, 503);
  });

  app.post(ROUTES.actors, async (c) => {
    const encoding = requestEncoding(c.req.raw);
    const body = await readMessage(c.req.raw, encoding, options.maxIncomingMessageSize);
    const query = parseQuery(body.query);
    const client = clientOf(c);
    const caller = { params: requestParams(c.req.raw), request: c.req.raw, admitCreate: () => limits.admitCreate(client) };
    const action = parseResolveAction(body);
    if (action === undefined) {
      const actorId = await host().resolve(query, caller);
      return messageResponse({ actorId }, encoding, options.maxOutgoingMessageSize);
    }
    // Resolve-and-call: a new handle's first call is one request, and for a new actor one commit:
    // the call runs on the new instance at once and its writes join the creation's.
    const { actorId, created } = await host().resolveEarly(query, caller);
    // In a cluster, an actor that was there already may run on another node: the call goes there.
    const from = forwardedBy(c.req.raw, host().clusterToken);
    const placement = created === undefined ? await host().place(actorId, from !== undefined) : ({ kind: "here" } as const);
    if (placement.kind === "node") {
      assertCanForward(from, actorId);
      const extra = forwardHeaders(host().clusterToken ?? "", from, clientAddress?.(c));
      const target = { name: query.name, actorId, action: action.name, args: action.args };
      const forwarded = await forwardAction(c.req.raw, placement.address, target, encoding, extra);
      if (forwarded instanceof Response) return forwarded;
      return messageResponse({ actorId, output: forwarded.output }, encoding, options.maxOutgoingMessageSize);
    }
    const call = (id: string) =>
      host().gateway.action({ actorId: id, params: caller.params, request: c.req.raw }, action.name, action.args);
    const { id, output } = await callNewActor(actorId, created, call);
    return messageResponse({ actorId: id, output }, encoding, options.maxOutgoingMessageSize);
  });

  // In a cluster, a call for an actor that another node runs goes there.
  app.use("/actors/:name/:id/*", async (c, next) => {
    const actorId = c.req.param("id") ?? "";
    const token = host().clusterToken ?? "";
    const from = forwardedBy(c.req.raw, token);
    const placement = await host().place(actorId, from !== undefined);
    if (placement.kind === "here") return next();
    assertCanForward(from, actorId);
    try {
      return await forwardRequest(c.req.raw, placement.address, forwardHeaders(token, from, clientAddress?.(c)));
    } catch (error) {
      if (isErrorCode(error, "cluster", "owner_unreachable")) host().placementFailed(actorId);
      throw error;
    }
  });

  app.post("/actors/:name/:id/actions/:action", async (c) => {
    const encoding = requestEncoding(c.req.raw);
    const body = await readMessage(c.req.raw, encoding, options.maxIncomingMessageSize);
    const args = parseArgs(body.args);
    const actorId = await resolveActor(host(), c);
    const target = { actorId, params: requestParams(c.req.raw), request: c.req.raw };
    const output = await host().gateway.action(target, c.req.param("action"), args);
    return messageResponse({ output }, encoding, options.maxOutgoingMessageSize);
  });

  app.post("/actors/:name/:id/queue/:queue", async (c) => {
    const encoding = requestEncoding(c.req.raw);
    const body = await readMessage(c.req.raw, encoding, options.maxIncomingMessageSize);
    const sendOptions = parseSendOptions(body.options);
    const actorId = await resolveActor(host(), c);
    const target = { actorId, params: requestParams(c.req.raw), request: c.req.raw };
    const result = await host().gateway.send(target, c.req.param("queue"), body.body, sendOptions);
    return messageResponse(result === undefined ? {} : { result }, encoding, options.maxOutgoingMessageSize);
  });

  app.all("/actors/:name/:id/request/*", async (c) => {
    const actorId = await resolveActor(host(), c);
    return host().gateway.request({ actorId, params: requestParams(c.req.raw), request: actorRequest(c.req.raw, c.req.path) });
  });

  app.get("/actors/:name/:id/connect", () => {
    throw new ActorError("request", "upgrade_required", "This route is a WebSocket endpoint.");
  });
  app.get("/actors/:name/:id/websocket/*", () => {
    throw new ActorError("request", "upgrade_required", "This route is a WebSocket endpoint.");
  });

  const limit = options.maxOutgoingMessageSize;
  for (const extension of extensions) extension.routes(app);

  const failed = (error: unknown, encoding: Encoding) => {
    const visible = publicWireError(error, logger).error;
    traffic?.failed("http", visible);
    return encodedErrorResponse(visible, encoding, limit);
  };
  app.notFound((c) =>
    failed(new ActorError("request", "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`), "json"),
  );
  app.onError((error, c) => failed(error, safeEncoding(c.req.raw)));
  return app;
}

async function resolveActor(host: ActorHost, c: Context): Promise<string> {
  return host.resolve({ kind: "id", name: c.req.param("name") ?? "", actorId: c.req.param("id") ?? "" });
}

/** The request as the actor sees it: the path after `/request`, same query, method, headers and body. */
function actorRequest(request: Request, path: string): Request {
  const url = new URL(request.url);
  url.pathname = actorSubpath(path, "request");
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    duplex: "half",
  };
  return new Request(url, init);
}

/** What a path outside the base path is routed as: no route matches it. */
const OUTSIDE_BASE = "/\0outside-base-path";

function safeEncoding(request: Request): Encoding {
  try {
    return requestEncoding(request);
  } catch {
    return "json" as const;
  }
}
