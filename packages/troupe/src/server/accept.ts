// An accepted WebSocket on an actor route goes to the actor connection protocol (`/connect`) or to
// the actor's own onWebSocket (`/websocket/*`). Every runtime adapter hands its sockets here.

import { CLOSE_CODES } from "../protocol/wire.ts";
import { type SocketContext, serveConnection } from "./connection.ts";
import { publicWireError } from "./http-messages.ts";
import { RawWebSocket } from "./raw-web-socket.ts";
import { closeReason, type ServerSocket } from "./socket.ts";
import { requestedProtocols, type UpgradeOptions, type UpgradeTarget, upgradeOptions, upgradeRequest } from "./upgrade.ts";

/** Serves `socket`, accepted for `request` (the upgrade request) on the route `target` (see routeUpgrade). */
export function acceptSocket(socket: ServerSocket, request: Request, target: UpgradeTarget, ctx: SocketContext): void {
  let opts: UpgradeOptions;
  try {
    opts = upgradeOptions(requestedProtocols(request.headers));
  } catch (error) {
    refuse(socket, error, ctx);
    return;
  }
  const actorRequest = upgradeRequest(request, target, opts.token);
  if (target.kind === "connect") {
    serveConnection(socket, {
      ...ctx,
      name: target.name,
      actorId: target.actorId,
      encoding: opts.encoding,
      params: opts.params,
      request: actorRequest,
    });
    return;
  }
  // A raw socket waits paused until onWebSocket has attached its listeners.
  socket.pause();
  const webSocket = new RawWebSocket(socket, request.url);
  ctx.host
    .resolve({ kind: "id", name: target.name, actorId: target.actorId })
    .then((actorId) => ctx.host.gateway.webSocket({ actorId, params: opts.params, request: actorRequest }, webSocket))
    .then(
      () => socket.resume(),
      (error: unknown) => refuse(socket, error, ctx),
    );
}

function refuse(socket: ServerSocket, error: unknown, ctx: SocketContext): void {
  const { error: visible, wire } = publicWireError(error, ctx.logger);
  ctx.traffic?.failed("websocket", visible);
  socket.resume(); // the close handshake needs the client's close frame read
  socket.close(CLOSE_CODES.error, closeReason(`${wire.group}.${wire.code}`));
}
