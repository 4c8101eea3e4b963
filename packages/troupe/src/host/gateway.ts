// The gateway: every call from outside an actor (an action, a queue send, a raw request or socket,
// a connection and its subscriptions) reaches the live instance through here. A call names its
// target once: the actor, and the caller's connection or the params of a stateless call.

import { Conn, type ConnSink, ephemeralConnId, type LazyRequest } from "../actor/conn.ts";
import { copyArgs, copyValue } from "../actor/copy.ts";
import type { ActorInstance } from "../actor/instance.ts";
import type { WakeCause } from "../actor/observer.ts";
import { assertHandler, handleRequest, handleWebSocket } from "../actor/raw-handlers.ts";
import { isActorError, isErrorCode } from "../base/errors.ts";
import { type ClientSendOptions, sendFromClient } from "../features/queue/send.ts";
import type { SendResult } from "../protocol/query.ts";
import type { Activations } from "./activation.ts";

export interface CallTarget {
  actorId: string;
  /** The caller's open connection; without one the call runs on a connection of its own. */
  conn?: Conn;
  /** The params of a call without a connection. */
  params?: unknown;
  /** The HTTP request behind the call (the upgrade request for a socket), read as `c.request`. */
  request?: LazyRequest;
}

/** A raw request or socket: its request is a real one, handed to onRequest / read by canHibernateWebSocket. */
export type RequestTarget = CallTarget & { request: Request };

/** A raw WebSocket as the server holds it (server/held-socket.ts), so that it can outlive an instance. */
export interface RawSocket {
  /** A WebSocket for an instance's onWebSocket; from now on the frames go to it alone. */
  attach(): WebSocket;
  /** The first onWebSocket returned: the attached WebSocket's `open` listeners run (once). */
  opened(): void;
  /** The actor sleeps and keeps the socket: the first frame or close to arrive calls `wake` and waits. */
  sleep(wake: () => void): void;
  /** The woken instance attached its listeners: what waited is delivered. */
  awake(): void;
  close(code: number, reason: string): void;
}

/** A target with the connection that makes the call. */
export type ConnTarget = CallTarget & { conn: Conn };

export class Gateway {
  readonly #activations: Activations;

  constructor(activations: Activations) {
    this.#activations = activations;
  }

  /**
   * Runs an action. When a stateless one called `c.destroy()`, its reply waits until the actor is
   * gone; on a connection it does not (the destroy closes the connection, reply or not).
   */
  action(target: CallTarget, name: string, args: unknown[]): Promise<unknown> {
    const copied = copyArgs(args);
    if (target.conn !== undefined) return this.#call(target, "action", (instance, conn) => instance.invoke(name, copied, conn));
    return this.#statelessAction(target, name, copied);
  }

  async #statelessAction(target: CallTarget, name: string, args: unknown[]): Promise<unknown> {
    let ran: ActorInstance | undefined;
    const output = await this.#call(target, "action", (instance, conn) => {
      ran = instance;
      return instance.invoke(name, args, conn);
    });
    // Outside the call: the destroy drains in-flight work, this call included.
    if (ran?.stopKind === "destroy") await ran.destroyed();
    return output;
  }

  /**
   * Sends `body` to the actor's queue `name`; wakes a sleeping actor and resolves once the
   * message is durable. With `wait`, resolves with its completion (features/queue/send.ts).
   */
  async send(target: CallTarget, name: string, body: unknown, options: ClientSendOptions): Promise<SendResult | undefined> {
    const copied = copyValue(body);
    const sent = await this.#call(target, "queue", (instance, conn) => sendFromClient(instance, conn, name, copied, options));
    return sent.completion;
  }

  /** A raw HTTP request for the actor's `onRequest`. */
  request(target: RequestTarget): Promise<Response> {
    return this.#activations.withInstance(target.actorId, "request", (instance) => {
      assertHandler(instance, "onRequest");
      return this.#ephemeral(instance, target, (conn) => handleRequest(instance, conn, target.request));
    });
  }

  /**
   * A raw WebSocket for the actor's `onWebSocket`; it is one of `c.conns` while open. A socket that
   * may hibernate (canHibernateWebSocket) stays open while the actor sleeps: its next frame, or its
   * close, wakes the actor, whose onWebSocket then takes it again (without the connection hooks).
   */
  async webSocket(target: RequestTarget, raw: RawSocket): Promise<void> {
    await this.#activations.withInstance(target.actorId, "websocket", async (instance) => {
      assertHandler(instance, "onWebSocket");
      // Raw sockets take no events; closing the conn (destroy, conn.disconnect) closes the socket.
      const sink: ConnSink = { event: () => {}, close: (reason, reconnect) => raw.close(reconnect ? 1001 : 1000, reason) };
      const conn = new Conn(crypto.randomUUID(), copyValue(target.params), undefined, sink, target.request);
      await instance.connect(conn, sink);
      await this.#serveRaw(instance, target, conn, raw);
    });
    raw.opened();
  }

  #serveRaw(instance: ActorInstance, target: RequestTarget, conn: Conn, raw: RawSocket): Promise<void> {
    const hibernate = () => raw.sleep(() => this.#wakeRaw(target, conn, raw));
    return handleWebSocket(instance, conn, raw.attach(), target.request, hibernate);
  }

  /** A frame or the close reached a hibernating socket: the actor wakes and takes it again. */
  #wakeRaw(target: RequestTarget, conn: Conn, raw: RawSocket): void {
    this.#activations
      .withInstance(target.actorId, "websocket", (instance) => this.#serveRaw(instance, target, conn, raw))
      .then(
        () => raw.awake(),
        (error: unknown) => {
          // The actor is gone or failed to wake: the socket cannot be served any more.
          this.#activations.forgetConnection(target.actorId, conn);
          raw.close(1011, isActorError(error) ? `${error.group}.${error.code}` : "actor failed to wake");
        },
      );
  }

  /** Opens a connection whose events go to `sink`. */
  async connect(target: CallTarget, sink: ConnSink): Promise<Conn> {
    const conn = new Conn(crypto.randomUUID(), copyValue(target.params), undefined, sink, target.request);
    await this.#activations.withInstance(target.actorId, "connect", (instance) => instance.connect(conn, sink));
    return conn;
  }

  /** Subscribes a connection to an event (or unsubscribes it); refused with `auth.forbidden` by canSubscribe. */
  subscribe(target: ConnTarget, event: string, subscribed: boolean): Promise<void> {
    return this.#activations.withInstance(target.actorId, "subscribe", (instance) =>
      instance.connections.subscribe(target.conn, event, subscribed),
    );
  }

  async disconnect(target: ConnTarget, reason: string): Promise<void> {
    if (!this.#activations.isOpen(target.actorId, target.conn)) return;
    try {
      await this.#activations.withInstance(target.actorId, "disconnect", (instance) =>
        instance.connections.disconnect(target.conn, reason),
      );
    } catch (error) {
      if (!isErrorCode(error, "actor", "not_found")) throw error;
    }
  }

  /** Runs `fn` on the live instance, on the target's connection or on one of the call's own. */
  #call<T>(target: CallTarget, cause: WakeCause, fn: (instance: ActorInstance, conn: Conn) => Promise<T>): Promise<T> {
    return this.#activations.withInstance(target.actorId, cause, (instance) => {
      if (target.conn) return fn(instance, target.conn);
      return this.#ephemeral(instance, target, (conn) => fn(instance, conn));
    });
  }

  // A stateless call gets a connection of its own for the duration of the call; with connection
  // hooks, they run for it as for any connection.
  #ephemeral<T>(instance: ActorInstance, target: CallTarget, fn: (conn: Conn) => Promise<T>): Promise<T> {
    const ephemeral = new Conn(ephemeralConnId(), copyValue(target.params), undefined, undefined, target.request);
    if (!instance.def.hasConnHooks) return instance.connections.during(ephemeral, () => fn(ephemeral));
    return this.#hooked(instance, ephemeral, fn);
  }

  async #hooked<T>(instance: ActorInstance, conn: Conn, fn: (conn: Conn) => Promise<T>): Promise<T> {
    await instance.connect(conn, undefined);
    try {
      return await fn(conn);
    } finally {
      await instance.connections.disconnect(conn, "call finished");
    }
  }
}
