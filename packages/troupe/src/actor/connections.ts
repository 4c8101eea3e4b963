// The connections of one actor: the connection hooks, subscriptions, and events sent to them once
// the writes made before them are committed. The map of open connections belongs to the host, so
// that connections stay open while the actor sleeps; each new instance takes them over.

import { ActorError, errors } from "../base/errors.ts";
import { validate } from "../base/standard-schema.ts";
import { withTimeout } from "../base/timers.ts";
import type { Logger } from "pino";
import { rivetkitBehaviour } from "./compatibility.ts";
import type { Conn, ConnOwner, ConnSink } from "./conn.ts";
import type { ActorContext } from "./context.ts";
import { copyArgs } from "./copy.ts";
import type { AnyActorDefinition } from "./definition.ts";
import type { ResourceKey } from "./feature.ts";
import type { ActorObserver, ObservedActor } from "./observer.ts";
import { structuredCloneIfDefined } from "./state.ts";

/** What the connections need from their instance. */
export interface ConnectionsHost extends ObservedActor {
  readonly def: AnyActorDefinition;
  readonly observer: ActorObserver | undefined;
  readonly log: Logger;
  context(conn?: Conn): ActorContext;
  begin(): void;
  end(): void;
  publicError(error: unknown, what: string): ActorError;
  /** Runs `run` once the writes made so far are committed. */
  afterCommit(run: () => void): void;
  resource<T>(key: ResourceKey<T>): T | undefined;
}

export class Connections implements ConnOwner {
  readonly #host: ConnectionsHost;
  readonly #open: Map<string, Conn>;

  constructor(host: ConnectionsHost, open: Map<string, Conn>) {
    this.#host = host;
    this.#open = open;
    for (const conn of open.values()) conn.owner = this;
  }

  get open(): ReadonlyMap<string, Conn> {
    return this.#open;
  }

  /** Runs the connection hooks; the connection joins the open ones before onConnect. */
  async connect(conn: Conn, sink: ConnSink | undefined): Promise<void> {
    const host = this.#host;
    const { config, options } = host.def;
    const ctx = host.context(conn);
    host.begin();
    try {
      const timedOut = (hook: string) => () =>
        new ActorError("actor", "callback_timed_out", `${hook} did not finish in time.`, { metadata: { hook } });
      if (config.connParamsSchema) {
        // The schema's output (defaults filled, values coerced) is what the hooks and actions see.
        (conn as { params: unknown }).params = await validate(config.connParamsSchema, conn.params, "connection params");
      }
      if (config.onBeforeConnect) {
        await withTimeout(
          Promise.resolve(config.onBeforeConnect(ctx, conn.params)),
          options.onBeforeConnectTimeout,
          timedOut("onBeforeConnect"),
        );
      }
      conn.state = config.createConnState
        ? await withTimeout(
            Promise.resolve(config.createConnState(ctx, conn.params)),
            options.createConnStateTimeout,
            timedOut("createConnState"),
          )
        : structuredCloneIfDefined(config.connState);
      // A stateless call's own connection is one of `c.conns` too, from onConnect until the call ends.
      this.#open.set(conn.id, conn);
      conn.owner = this;
      if (config.onConnect) {
        await withTimeout(Promise.resolve(config.onConnect(ctx, conn)), options.onConnectTimeout, timedOut("onConnect"));
      }
      // A call's own connection (no sink) is not one a client holds open: it is not reported.
      if (sink) host.observer?.notify({ type: "connection.opened", actor: host, at: Date.now(), connId: conn.id, params: conn.params });
    } catch (error) {
      this.#open.delete(conn.id);
      throw host.publicError(error, "connection rejected by a hook");
    } finally {
      host.end();
    }
  }

  /** Runs `fn` with `conn` (a stateless call's own, no hooks to run) among the open connections. */
  during<T>(conn: Conn, fn: () => Promise<T>): Promise<T> {
    this.#open.set(conn.id, conn);
    conn.owner = this;
    const ended = () => this.#open.delete(conn.id);
    try {
      const running = fn();
      running.then(ended, ended);
      return running;
    } catch (error) {
      ended();
      throw error;
    }
  }

  async disconnect(conn: Conn, reason: string): Promise<void> {
    const known = this.#open.delete(conn.id);
    conn.sink?.close(reason);
    if (known && conn.sink) this.#closed(conn, reason);
    if (!known && conn.sink) return;
    const hook = this.#host.def.config.onDisconnect;
    if (!hook) return;
    this.#host.begin();
    try {
      await hook(this.#host.context(conn), conn);
    } catch (error) {
      this.#host.log.error({ err: error }, "onDisconnect failed");
    } finally {
      this.#host.end();
    }
  }

  /** Subscribes `conn` to an event, if the event's `canSubscribe` (when declared) allows it. */
  async subscribe(conn: Conn, name: string, subscribed: boolean): Promise<void> {
    if (!subscribed) {
      conn.subscriptions.delete(name);
      return;
    }
    const events = this.#host.def.config.events;
    const check = events && Object.hasOwn(events, name) ? events[name]?.canSubscribe : undefined;
    if (check) {
      this.#host.begin();
      // RivetKit's behaviour: the connection's next action waits for this check (and fails if refused).
      let checked = () => {};
      if (rivetkitBehaviour(this.#host)) conn.checking = new Promise<void>((resolve) => (checked = resolve));
      try {
        const allowed = await check(this.#host.context(conn));
        if (allowed !== true) throw errors.forbidden(`This connection may not subscribe to "${name}".`);
      } catch (error) {
        const refusal = this.#host.publicError(error, `canSubscribe for "${name}" failed`);
        // RivetKit's behaviour: the refusal fails the connection's next action instead.
        if (rivetkitBehaviour(this.#host)) {
          conn.refusal = refusal;
          return;
        }
        throw refusal;
      } finally {
        checked();
        this.#host.end();
      }
    }
    conn.subscriptions.add(name);
  }

  broadcast(name: string, args: unknown[]): void {
    const payload = copyArgs(args);
    this.#host.afterCommit(() => {
      for (const conn of this.#open.values()) if (conn.subscriptions.has(name)) conn.sink?.event(name, payload);
    });
  }

  deliver(conn: Conn, name: string, args: unknown[]): void {
    const payload = copyArgs(args);
    this.#host.afterCommit(() => conn.sink?.event(name, payload));
  }

  /** The actor is destroyed: every connection is closed. */
  closeAll(reason: string): void {
    for (const conn of this.#open.values()) {
      conn.sink?.close(reason);
      if (conn.sink) this.#closed(conn, reason);
    }
    this.#open.clear();
  }

  #closed(conn: Conn, reason: string): void {
    this.#host.observer?.notify({ type: "connection.closed", actor: this.#host, at: Date.now(), connId: conn.id, reason });
  }
}
