// The server side of one actor connection over WebSocket: the init message, multiplexed actions,
// subscriptions and events. Sizes are checked before anything is decoded.

import type { Logger } from "pino";
import type { Conn, ConnSink } from "../actor/conn.ts";
import { ActorError, isErrorCode } from "../base/errors.ts";
import type { ActorHost } from "../host/host.ts";
import { byteLength, decode, encode, encodeEvent, parseToServer } from "../protocol/codec.ts";
import { CLOSE_CODES, type Encoding, PROTOCOL_VERSION, type ToClient } from "../protocol/wire.ts";
import { tooLong } from "./body.ts";
import { publicWireError } from "./http-messages.ts";
import type { TransportOptions } from "./options.ts";
import { closeReason, type ServerSocket } from "./socket.ts";

/** What serving a socket needs of the server around it. */
export interface SocketContext {
  host: ActorHost;
  options: TransportOptions;
  logger: Logger;
  /** Tracks an action in flight, so that a graceful close sends its reply first. */
  track(work: Promise<unknown>): void;
}

export interface ConnectionContext extends SocketContext {
  name: string;
  actorId: string;
  encoding: Encoding;
  params: unknown;
  request: Request;
}

export function serveConnection(socket: ServerSocket, ctx: ConnectionContext): void {
  const { host, actorId, encoding, options, logger } = ctx;
  let conn: Conn | undefined;
  let closedByServer = false;

  const sendRaw = (message: ToClient): boolean => {
    const data = message.type === "event" ? encodeEvent(message, encoding) : encode(message, encoding);
    if (overLimit(data, options.maxOutgoingMessageSize)) return false;
    if (socket.isOpen) {
      socket.batch?.();
      socket.send(data);
    }
    return true;
  };
  const sendError = (error: unknown, id?: number) => {
    const { wire } = publicWireError(error, logger);
    sendRaw(id === undefined ? { type: "error", ...wire } : { type: "error", id, ...wire });
  };
  const send = (message: ToClient, id?: number) => {
    if (sendRaw(message)) return;
    const limit = options.maxOutgoingMessageSize;
    const what = message.type === "event" ? `Event "${message.name}"` : "The result";
    sendError(
      new ActorError("message", "outgoing_too_long", `${what} is over the limit of ${limit} bytes and was not sent.`, {
        metadata: { limit, ...(message.type === "event" ? { event: message.name } : {}) },
      }),
      id,
    );
  };

  const sink: ConnSink = {
    event: (name, args) => send({ type: "event", name, args }),
    close: (reason) => {
      closedByServer = true;
      socket.close(CLOSE_CODES.normal, closeReason(reason));
    },
  };

  const onMessage = (data: string | Uint8Array) => {
    if (overLimit(data, options.maxIncomingMessageSize)) {
      // The rest of the stream cannot be trusted to line up: report and close, as RivetKit does.
      sendError(tooLong(byteLength(data), options.maxIncomingMessageSize));
      socket.close(CLOSE_CODES.tooBig, "message.incoming_too_long");
      return;
    }
    let message: ReturnType<typeof parseToServer>;
    try {
      message = parseToServer(decode(data, encoding));
    } catch (error) {
      sendError(error);
      return;
    }
    if (message.type === "subscribe") {
      host.gateway.subscribe({ actorId, conn: conn! }, message.event, message.subscribe).catch((error: unknown) => sendError(error));
      return;
    }
    const { id } = message;
    const work =
      message.type === "action"
        ? host.gateway.action({ actorId, conn }, message.name, message.args)
        : host.gateway.send({ actorId, conn }, message.queue, message.body, message.options);
    ctx.track(
      work.then(
        (output) => send({ type: "result", id, output }, id),
        (error: unknown) => sendError(error, id),
      ),
    );
  };

  const clientClosed = () => {
    if (!conn || closedByServer) return;
    host.gateway.disconnect({ actorId, conn }, "closed by client").catch((error: unknown) => {
      if (!isErrorCode(error, "registry", "shut_down")) logger.error({ err: error }, "disconnect failed");
    });
  };
  socket.onClose(clientClosed);

  // Messages wait in the socket until the connection is open and `init` is sent.
  socket.pause();
  host
    .resolve({ kind: "id", name: ctx.name, actorId })
    .then(() => host.gateway.connect({ actorId, params: ctx.params, request: ctx.request }, sink))
    .then(
      (opened) => {
        conn = opened;
        if (!socket.isOpen) {
          clientClosed(); // it closed while the actor was accepting it
          return;
        }
        sendRaw({ type: "init", actorId, connId: opened.id, protocol: PROTOCOL_VERSION });
        socket.onMessage(onMessage);
        socket.resume();
      },
      (error: unknown) => {
        const { wire } = publicWireError(error, logger);
        sendRaw({ type: "error", ...wire });
        socket.resume(); // the close handshake needs the client's close frame read
        socket.close(CLOSE_CODES.error, closeReason(`${wire.group}.${wire.code}`));
      },
    );
}

/** A string of n UTF-16 units is at most 3n UTF-8 bytes: most frames need no measuring. */
function overLimit(data: string | Uint8Array, limit: number): boolean {
  return (typeof data !== "string" || data.length * 3 > limit) && byteLength(data) > limit;
}
