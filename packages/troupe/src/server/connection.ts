// The server side of one actor connection over WebSocket: the init message, multiplexed actions,
// subscriptions and events. Sizes are checked before anything is decoded, and a connection has at
// most limits.inFlightPerConnection calls unanswered: past it the socket is not read (backpressure).

import type { Logger } from "pino";
import type { Conn, ConnSink } from "../actor/conn.ts";
import { ActorError, isErrorCode } from "../base/errors.ts";
import type { ActorHost } from "../host/host.ts";
import type { ActorQuery } from "../protocol/query.ts";
import { byteLength, decodeUnchecked, encode, encodeEvent, parseToServer } from "../protocol/codec.ts";
import { checkInbound } from "../protocol/inbound.ts";
import { CLOSE_CODES, type Encoding, PROTOCOL_VERSION, type ToClient, type ToServer, type WireError } from "../protocol/wire.ts";
import { tooLong } from "./body.ts";
import { encodeError, outgoingTooLong, publicWireError } from "./http-messages.ts";
import type { TransportOptions } from "./options.ts";
import { closeReason, type ServerSocket } from "./socket.ts";
import type { TrafficObserver } from "./traffic.ts";

/** What serving a socket needs of the server around it. */
export interface SocketContext {
  host: ActorHost;
  options: TransportOptions;
  logger: Logger;
  /** Tracks an action in flight, so that a graceful close sends its reply first. */
  track(work: Promise<unknown>): void;
  /** Told the frames and errors of actor connections, when something counts them. */
  traffic?: TrafficObserver;
}

export interface ConnectionContext extends SocketContext {
  /** The actor: by id, or by key for a connection by key (found or created when the socket opens). */
  query: ActorQuery;
  /** Counts a creation against the client's limit (a connection by key may create its actor). */
  admitCreate?: () => void;
  encoding: Encoding;
  params: unknown;
  request: Request;
}

export function serveConnection(socket: ServerSocket, ctx: ConnectionContext): void {
  const { host, encoding, options, logger, traffic } = ctx;
  /** Known once the query is resolved; nothing reads it before (messages wait in the paused socket). */
  let actorId = "";
  const maxOutgoing = options.maxOutgoingMessageSize;
  let conn: Conn | undefined;
  let closedByServer = false;

  const write = (data: string | Uint8Array) => {
    if (!socket.isOpen) return;
    socket.send(data);
    traffic?.sent("websocket", byteLength(data));
  };
  const sendWire = (wire: WireError, id?: number) => {
    write(
      encodeError(wire, encoding, maxOutgoing, (w: WireError) =>
        id === undefined ? { type: "error", ...w } : { type: "error", id, ...w },
      ),
    );
  };
  const sendError = (error: unknown, id?: number) => {
    const visible = publicWireError(error, logger);
    traffic?.failed("websocket", visible.error);
    sendWire(visible.wire, id);
  };
  /** Sends a result or an event; one that cannot go out (too long, or a value its encoding cannot carry) becomes an error for this connection only. */
  const send = (message: ToClient, id?: number) => {
    const event = message.type === "event" ? message.name : undefined;
    let data: string | Uint8Array;
    try {
      data = message.type === "event" ? encodeEvent(message, encoding) : encode(message, encoding);
    } catch (error) {
      sendError(event === undefined ? error : aboutEvent(error, event), id);
      return;
    }
    if (overLimit(data, maxOutgoing)) {
      const what = event === undefined ? "The result" : `Event "${event}"`;
      sendError(
        outgoingTooLong(`${what} is over the limit of ${maxOutgoing} bytes and was not sent`, maxOutgoing, event ? { event } : {}),
        id,
      );
      return;
    }
    write(data);
  };

  const sink: ConnSink = {
    event: (name, args) => send({ type: "event", name, args }),
    close: (reason, reconnect) => {
      closedByServer = true;
      socket.close(reconnect ? CLOSE_CODES.goingAway : CLOSE_CODES.normal, closeReason(reason));
    },
  };

  // Backpressure: at the limit the socket is paused. Frames it had already read arrive anyway; they
  // wait here, up to a bound in bytes, and are answered with an error past it.
  const maxInFlight = options.limits.inFlightPerConnection;
  const maxHeldBytes = options.maxIncomingMessageSize * HELD_FACTOR;
  let inFlight = 0;
  const held: Array<string | Uint8Array> = [];
  let heldBytes = 0;
  let paused = false;

  const settled = () => {
    inFlight--;
    while (held.length > 0 && inFlight < maxInFlight) {
      const data = held.shift()!;
      heldBytes -= byteLength(data);
      handle(data);
    }
    if (paused && held.length === 0 && inFlight < maxInFlight) {
      paused = false;
      socket.resume();
    }
  };

  const onMessage = (data: string | Uint8Array) => {
    traffic?.received("websocket", byteLength(data));
    if (overLimit(data, options.maxIncomingMessageSize)) {
      // The rest of the stream cannot be trusted to line up: report and close, as RivetKit does.
      sendError(tooLong(byteLength(data), options.maxIncomingMessageSize));
      socket.close(CLOSE_CODES.tooBig, "message.incoming_too_long");
      return;
    }
    if (inFlight < maxInFlight && held.length === 0) {
      handle(data);
      return;
    }
    if (!paused) {
      paused = true;
      socket.pause();
    }
    const size = byteLength(data);
    if (heldBytes + size > maxHeldBytes) {
      refuse(data);
      return;
    }
    held.push(data);
    heldBytes += size;
  };

  const refuse = (data: string | Uint8Array) => {
    const error = new ActorError(
      "request",
      "too_many_in_flight",
      `Over ${maxInFlight} calls in flight on this connection; retry once some have returned.`,
      {
        metadata: { limit: maxInFlight },
      },
    );
    let raw: unknown;
    try {
      raw = decodeUnchecked(data, encoding);
    } catch {
      // Undecodable: its error has no id either way.
    }
    sendError(error, requestId(raw));
  };

  const handle = (data: string | Uint8Array) => {
    let message: ToServer;
    let raw: unknown;
    try {
      raw = decodeUnchecked(data, encoding);
      message = parseToServer(checkInbound(raw, encoding, data));
    } catch (error) {
      sendError(error, requestId(raw));
      return;
    }
    inFlight++;
    if (message.type === "subscribe") {
      host.gateway
        .subscribe({ actorId, conn: conn! }, message.event, message.subscribe)
        .catch((error: unknown) => sendError(error))
        .finally(settled);
      return;
    }
    const { id } = message;
    const work =
      message.type === "action"
        ? host.gateway.action({ actorId, conn }, message.name, message.args)
        : host.gateway.send({ actorId, conn }, message.queue, message.body, message.options);
    ctx.track(
      work
        .then(
          (output) => send({ type: "result", id, output }, id),
          (error: unknown) => sendError(error, id),
        )
        .finally(settled),
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
    .resolve(ctx.query, { params: ctx.params, request: ctx.request, admitCreate: ctx.admitCreate })
    .then((resolved) => {
      actorId = resolved;
      return host.gateway.connect({ actorId, params: ctx.params, request: ctx.request }, sink);
    })
    .then(
      (opened) => {
        conn = opened;
        if (!socket.isOpen) {
          clientClosed(); // it closed while the actor was accepting it
          return;
        }
        send({ type: "init", actorId, connId: opened.id, protocol: PROTOCOL_VERSION });
        socket.onMessage(onMessage);
        socket.resume();
      },
      (error: unknown) => {
        const { error: visible, wire } = publicWireError(error, logger);
        traffic?.failed("websocket", visible);
        sendWire(wire);
        socket.resume(); // the close handshake needs the client's close frame read
        socket.close(CLOSE_CODES.error, closeReason(`${wire.group}.${wire.code}`));
      },
    );
}

/** Frames held while a connection is at its limit, at most this many times the largest message. */
const HELD_FACTOR = 4;

/** The id of a request that could be decoded but not accepted, so that its error can name it. */
function requestId(raw: unknown): number | undefined {
  const id = typeof raw === "object" && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === "number" && Number.isSafeInteger(id) ? id : undefined;
}

/** An event that could not be encoded: the error names it. */
function aboutEvent(error: unknown, event: string): unknown {
  if (!isErrorCode(error, "message", "unsupported_value")) return error;
  const cause = error as ActorError;
  const metadata = { ...(cause.metadata as Record<string, unknown>), event };
  return new ActorError(cause.group, cause.code, `Event "${event}" was not sent: ${cause.message}`, { metadata });
}

/** A string of n UTF-16 units is at most 3n UTF-8 bytes: most frames need no measuring. */
function overLimit(data: string | Uint8Array, limit: number): boolean {
  return (typeof data !== "string" || data.length * 3 > limit) && byteLength(data) > limit;
}
