// An accepted WebSocket on an actor route goes to the actor connection protocol (`/connect`) or to
// the actor's own onWebSocket (`/websocket/*`). Every runtime adapter hands its sockets here.

import { malformed } from "../protocol/codec.ts";
import type { ActorQuery } from "../protocol/query.ts";
import { CLOSE_CODES, SUBPROTOCOLS } from "../protocol/wire.ts";
import { type SocketContext, serveConnection } from "./connection.ts";
import { parseQuery, publicWireError } from "./http-messages.ts";
import { HeldSocket } from "./held-socket.ts";
import { closeReason, type ServerSocket } from "./socket.ts";
import { requestedProtocols, type UpgradeOptions, type UpgradeTarget, upgradeOptions, upgradeRequest } from "./upgrade.ts";

/**
 * Serves `socket`, accepted for `request` (the upgrade request) on the route `target` (see
 * routeUpgrade). `admitCreate` counts an actor created by a connection by key against the client's limit.
 */
export function acceptSocket(
  socket: ServerSocket,
  request: Request,
  target: UpgradeTarget,
  ctx: SocketContext,
  admitCreate?: () => void,
): void {
  let opts: UpgradeOptions;
  let query: ActorQuery;
  try {
    opts = upgradeOptions(requestedProtocols(request.headers));
    query = targetQuery(target, opts.query);
  } catch (error) {
    refuse(socket, error, ctx);
    return;
  }
  const actorRequest = upgradeRequest(request, target, opts.token);
  if (target.kind === "connect") {
    serveConnection(socket, { ...ctx, query, encoding: opts.encoding, params: opts.params, request: actorRequest, admitCreate });
    return;
  }
  serveRawSocket(socket, request.url, ctx, async (raw) => {
    const actorId = await ctx.host.resolve(query);
    await ctx.host.gateway.webSocket({ actorId, params: opts.params, request: actorRequest }, raw);
  });
}

/**
 * Hands `socket` to the actor (`open` runs the gateway's side of it), paused until onWebSocket
 * has attached its listeners; a refusal closes it with the error. Sockets from the network and
 * the in-process client's go through here alike.
 */
export function serveRawSocket(
  socket: ServerSocket,
  url: string,
  ctx: Pick<SocketContext, "logger" | "traffic">,
  open: (raw: HeldSocket) => Promise<void>,
): void {
  socket.pause();
  open(new HeldSocket(socket, url)).then(
    () => socket.resume(),
    (error: unknown) => refuse(socket, error, ctx),
  );
}

/** The actor a socket is for: its id in the path, or the query by key of a connection by key. */
/** The actor an upgrade names: by the id in its path, or by the key its query subprotocol gives; throws a typed error. */
export function targetQuery(target: UpgradeTarget, query: unknown): ActorQuery {
  if (target.actorId !== undefined) return { kind: "id", name: target.name, actorId: target.actorId };
  if (typeof query !== "object" || query === null) throw malformed(`A connection by key needs the ${SUBPROTOCOLS.query} subprotocol.`);
  const parsed = parseQuery({ ...query, name: target.name });
  if (parsed.kind !== "get" && parsed.kind !== "getOrCreate") {
    throw malformed('A connection by key takes a query of kind "get" or "getOrCreate".');
  }
  if ("input" in parsed) throw malformed("A connection by key carries no input: resolve the actor first.");
  return parsed;
}

function refuse(socket: ServerSocket, error: unknown, ctx: Pick<SocketContext, "logger" | "traffic">): void {
  const { error: visible, wire } = publicWireError(error, ctx.logger);
  ctx.traffic?.failed("websocket", visible);
  socket.resume(); // the close handshake needs the client's close frame read
  socket.close(CLOSE_CODES.error, closeReason(`${wire.group}.${wire.code}`));
}
