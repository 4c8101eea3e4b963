// How a client reaches actors: in-process (the registry's host) or over the network.
// Everything in client/ stays browser-safe: no Node modules.

import type { ActorQuery, SendOptions, SendResult } from "../protocol/query.ts";

export type { ActorQuery, SendOptions, SendResult } from "../protocol/query.ts";

/** A query by key that never creates an actor with another input than it names: one a call may carry. */
export type KeyQuery = Extract<ActorQuery, { kind: "get" | "getOrCreate" }>;

export interface CallOptions {
  params?: unknown;
  /** Computes the params for each call and each (re)connection; wins over `params`. */
  getParams?: () => unknown;
  signal?: AbortSignal;
}

/** Callbacks of one connection, called by the driver. */
export interface ConnListener {
  open(info: { actorId: string; connId: string }): void;
  event(name: string, args: unknown[]): void;
  error(error: unknown): void;
  /** The connection closed; `reconnecting` when the driver is going to open it again. */
  close(reason: string, reconnecting: boolean): void;
  /** The driver is opening the connection again after a close. */
  connecting(): void;
}

/** One connection as the driver holds it. */
export interface DriverConn {
  action(name: string, args: unknown[]): Promise<unknown>;
  /** As `ClientDriver.send`, with this connection as the sender (`c.conn` in `canPublish`). */
  send(name: string, body: unknown, options: SendOptions): Promise<SendResult | undefined>;
  subscribe(event: string, subscribed: boolean): void;
  close(): Promise<void>;
}

export interface ClientDriver {
  /** The actor id the query designates, creating the actor for `getOrCreate` and `create`. */
  resolve(query: ActorQuery, options: CallOptions): Promise<string>;
  action(query: ActorQuery, name: string, args: unknown[], options: CallOptions): Promise<unknown>;
  /**
   * Finds the actor of a `get` or `getOrCreate` query (creating it for `getOrCreate`) and calls
   * `name` on it in one request: a new handle's first call over the network. Absent in process,
   * where there is no round trip to save (the handle resolves, then calls by id).
   */
  resolveAndCall?(query: KeyQuery, name: string, args: unknown[], options: CallOptions): Promise<{ actorId: string; output: unknown }>;
  connect(query: ActorQuery, options: CallOptions, listener: ConnListener): DriverConn;
  /**
   * Enqueues `body` on the actor's queue `name` ("default" for `handle.queue.send(body)`), waking
   * a sleeping actor. Resolves once the message is durably enqueued: to `undefined` without
   * `wait`; with `wait`, to a `SendResult` once a consumer completed it or `timeout` passed.
   * A repeated `idempotencyKey` resolves the same way without enqueueing again. Rejects with
   * `queue.not_found`, `queue.full`, `queue.message_too_large`, `queue.invalid_idempotency_key`,
   * `actor.validation_error`, `auth.forbidden` (the queue's `canPublish` said no; it sees a
   * stateless connection with these params), or `queue.dead_lettered` while waiting.
   * The server side of it is `ActorHost.send(actorId, name, body, options, params, conn?, request?)`.
   */
  send(query: ActorQuery, name: string, body: unknown, options: SendOptions & CallOptions): Promise<SendResult | undefined>;
  /** A raw HTTP request to the actor's `onRequest`; `path` is relative to the actor. */
  fetch(query: ActorQuery, path: string, init: RequestInit | undefined, options: CallOptions): Promise<Response>;
  /** A raw WebSocket to the actor's `onWebSocket`. */
  webSocket(query: ActorQuery, path: string, protocols: string[], options: CallOptions): Promise<WebSocket>;
  dispose(): Promise<void>;
}
