// The in-process client driver: calls go straight to the host, values are copied as the wire would,
// and the server's checks apply: a message over `maxIncomingMessageSize` is refused, actor code
// reads `c.request` (a Request of the route the call would take, made when read), and a raw
// WebSocket is a socket pair with the actor's onWebSocket at the other end.

import type { Conn } from "../actor/conn.ts";
import { copyArgs } from "../actor/copy.ts";
import type { ActorQuery, CallOptions, ClientDriver, ConnListener, DriverConn, SendOptions, SendResult } from "../client/driver.ts";
import { backoffDelay } from "../client/backoff.ts";
import { paramsFor } from "../client/params.ts";
import { delay } from "../base/timers.ts";
import { ActorError, isErrorCode } from "../base/errors.ts";
import { actorPath, CLOSE_CODES } from "../protocol/wire.ts";
import { serveRawSocket } from "../server/accept.ts";
import { tooLong } from "../server/body.ts";
import { errorResponse } from "../server/http-messages.ts";
import { DEFAULT_MAX_INCOMING } from "../server/options.ts";
import { SocketEnd } from "../server/socket-pair.ts";
import type { ActorHost } from "../host/host.ts";
import { InProcessWebSocket } from "./in-process-web-socket.ts";
import { sizeOver } from "./message-size.ts";

/** What the server's transport settings (setup()) say of in-process calls too. */
export interface InProcessLimits {
  /** Largest action arguments or queue message, in bytes (CBOR-encoded, the wire's default). */
  maxIncomingMessageSize: number;
}

/** In-process requests have no server: the origin is a placeholder, the path is the route's. */
const ORIGIN = "http://actor.local";

export class LocalDriver implements ClientDriver {
  readonly #host: () => ActorHost;
  readonly #maxIncoming: number;
  /** The actors' ends of the raw sockets handed out, closed at shutdown as a server closes its own. */
  readonly #sockets = new Set<SocketEnd>();
  /** When the set next drops the ends that closed: at twice the size it kept last time (amortized). */
  #pruneAt = 64;

  /** `host` is read on every call, so a client survives a runtime restart in tests. */
  constructor(host: () => ActorHost, limits?: InProcessLimits) {
    this.#host = host;
    this.#maxIncoming = limits?.maxIncomingMessageSize ?? DEFAULT_MAX_INCOMING;
  }

  async resolve(query: ActorQuery, options: CallOptions): Promise<string> {
    return this.#host().resolve(query, { params: await paramsFor(options) });
  }

  async action(query: ActorQuery, name: string, args: unknown[], options: CallOptions): Promise<unknown> {
    this.#checkSize(args);
    const host = this.#host();
    const params = await paramsFor(options);
    const actorId = await host.resolve(query, { params });
    const request = () =>
      new Request(`${ORIGIN}${actorPath(query.name, actorId, `actions/${encodeURIComponent(name)}`)}`, { method: "POST" });
    return host.gateway.action({ actorId, params, request }, name, args);
  }

  async send(query: ActorQuery, name: string, body: unknown, options: SendOptions & CallOptions): Promise<SendResult | undefined> {
    this.#checkSize(body);
    const host = this.#host();
    const params = await paramsFor(options);
    const actorId = await host.resolve(query, { params });
    const request = () =>
      new Request(`${ORIGIN}${actorPath(query.name, actorId, `queue/${encodeURIComponent(name)}`)}`, { method: "POST" });
    return host.gateway.send({ actorId, params, request }, name, body, options);
  }

  async fetch(query: ActorQuery, path: string, init: RequestInit | undefined, options: CallOptions): Promise<Response> {
    const host = this.#host();
    const params = await paramsFor(options);
    const actorId = await host.resolve(query, { params });
    const request = new Request(new URL(path, ORIGIN), init);
    try {
      return await host.gateway.request({ actorId, params, request });
    } catch (error) {
      // As the server answers: a refused or failed request is a response (403, 404, 500), except
      // a vanished actor, which a key-based handle follows to its key's new actor.
      if (isErrorCode(error, "actor", "not_found")) throw error;
      return errorResponse(error, "json", host.logger, Number.POSITIVE_INFINITY);
    }
  }

  /** A socket pair: the actor's onWebSocket gets one end, as a RawWebSocket, the caller the other. */
  async webSocket(query: ActorQuery, path: string, protocols: string[], options: CallOptions): Promise<WebSocket> {
    const host = this.#host();
    const params = await paramsFor(options);
    const actorId = await host.resolve(query, { params });
    // What the actor sees of the upgrade: the path under its route, the subprotocols offered.
    const headers = new Headers({ upgrade: "websocket", connection: "Upgrade" });
    if (protocols.length > 0) headers.set("sec-websocket-protocol", protocols.join(", "));
    const request = new Request(new URL(path, ORIGIN), { headers });
    const [actorEnd, clientEnd] = SocketEnd.pair(protocols[0] ?? "");
    this.#keep(actorEnd);
    serveRawSocket(actorEnd, request.url, host, (socket) => host.gateway.webSocket({ actorId, params, request }, socket));
    return new InProcessWebSocket(clientEnd, `${ORIGIN}${actorPath(query.name, actorId, "websocket")}${path === "/" ? "" : path}`);
  }

  #keep(end: SocketEnd): void {
    if (this.#sockets.size >= this.#pruneAt) {
      for (const kept of this.#sockets) if (!kept.isOpen) this.#sockets.delete(kept);
      this.#pruneAt = Math.max(64, this.#sockets.size * 2);
    }
    this.#sockets.add(end);
  }

  /**
   * Closes the raw sockets still open (going away, as a server shutting down closes its own): those
   * of actors that outlived the shutdown's stops, such as hibernating ones the server held.
   */
  closeSockets(): void {
    for (const end of this.#sockets) end.close(CLOSE_CODES.goingAway, "server shutting down");
    this.#sockets.clear();
  }

  gatewayUrl(): string {
    throw new ActorError("feature", "unsupported", "handle.getGatewayUrl() needs a server: serve the registry and use troupe/client.");
  }

  connect(query: ActorQuery, options: CallOptions, listener: ConnListener): DriverConn {
    let closed = false;
    const opened = (async () => {
      const host = this.#host();
      const params = await paramsWithRetry(options, listener, () => closed);
      const actorId = await host.resolve(query, { params });
      const headers = { upgrade: "websocket", connection: "Upgrade" };
      const request = () => new Request(`${ORIGIN}${actorPath(query.name, actorId, "connect")}`, { headers });
      const conn = await host.gateway.connect(
        { actorId, params, request },
        {
          event: (name, args) => listener.event(name, copyArgs(args)),
          close: (reason) => {
            closed = true;
            listener.close(reason, false);
          },
        },
      );
      listener.open({ actorId, connId: conn.id });
      return { actorId, conn };
    })();
    opened.catch((error: unknown) => {
      closed = true;
      listener.error(error);
      listener.close("connection rejected", false);
    });
    const withConn = async <T>(fn: (actorId: string, conn: Conn) => Promise<T>): Promise<T> => {
      const { actorId, conn } = await opened;
      return fn(actorId, conn);
    };
    return {
      action: async (name, args) => {
        this.#checkSize(args);
        return withConn((actorId, conn) => this.#host().gateway.action({ actorId, conn }, name, args));
      },
      send: async (name, body, sendOptions) => {
        this.#checkSize(body);
        return withConn((actorId, conn) => this.#host().gateway.send({ actorId, conn }, name, body, sendOptions));
      },
      subscribe: (event, subscribed) => {
        // Applied in order once the connection is open; a refusal (canSubscribe) reaches onError.
        opened.then(
          ({ actorId, conn }) =>
            this.#host()
              .gateway.subscribe({ actorId, conn }, event, subscribed)
              .catch((error: unknown) => listener.error(error)),
          () => {},
        );
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await withConn((actorId, conn) => this.#host().gateway.disconnect({ actorId, conn }, "disposed")).catch(() => {});
      },
    };
  }

  async dispose(): Promise<void> {}

  /** Refuses a message the server would refuse, before it reaches the actor (so it changes nothing). */
  #checkSize(value: unknown): void {
    const size = sizeOver(value, this.#maxIncoming);
    if (size !== undefined) throw tooLong(size, this.#maxIncoming);
  }
}

/**
 * The params of an in-process connection. A failing `getParams` is reported to `onError` and
 * tried again with backoff, as the network client does; calls made meanwhile wait for it.
 */
async function paramsWithRetry(options: CallOptions, listener: ConnListener, closed: () => boolean): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await paramsFor(options);
    } catch (error) {
      if (closed() || !isErrorCode(error, "client", "get_params_failed")) throw error;
      listener.error(error);
      await delay(backoffDelay(attempt));
    }
  }
}
