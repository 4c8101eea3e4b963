// A client's connection to an actor, as actor code sees it (`c.conn`, `c.conns`).

/** Where a connection's events go: an in-process listener or a socket. */
export interface ConnSink {
  event(name: string, args: unknown[]): void;
  /** The server closes the connection (disconnect, destroy, shutdown); with `reconnect`, the client should connect again. */
  close(reason: string, reconnect?: boolean): void;
}

/**
 * The request behind a connection, or how to make it: an in-process call has no HTTP request, and
 * makes one only when actor code reads `c.request` (a Request costs more than the call itself).
 */
export type LazyRequest = Request | (() => Request);

/** How a connection reaches its actor instance; set by the instance that owns it. */
export interface ConnOwner {
  deliver(conn: Conn, name: string, args: unknown[]): void;
  disconnect(conn: Conn, reason: string): Promise<void>;
}

/** Per process: the ids of the connections a stateless call gets (one per call) need not cost a UUID each. */
const EPHEMERAL_PREFIX = `${crypto.randomUUID()}-`;
let ephemeralCount = 0;

/** A new id, unique across processes, for the connection of one stateless call. */
export function ephemeralConnId(): string {
  return EPHEMERAL_PREFIX + (++ephemeralCount).toString(36);
}

export class Conn<CP = unknown, CS = unknown> {
  readonly id: string;
  readonly params: CP;
  state: CS;
  // Created on first use: a stateless call's connection never subscribes.
  #subscriptions: Set<string> | undefined;
  /** @internal */
  readonly sink: ConnSink | undefined;
  /** @internal */
  owner: ConnOwner | undefined;
  /** @internal A refused subscription waiting to fail the next action (RivetKit's behaviour). */
  refusal: Error | undefined;
  /** @internal A subscription check under way, that the next action waits for (RivetKit's behaviour). */
  checking: Promise<void> | undefined;
  #request: LazyRequest | undefined;

  constructor(id: string, params: CP, state: CS, sink: ConnSink | undefined, request?: LazyRequest) {
    this.id = id;
    this.params = params;
    this.state = state;
    this.sink = sink;
    this.#request = request;
  }

  /** @internal The HTTP request (or WebSocket upgrade request) that opened it, read as `c.request`. */
  get request(): Request | undefined {
    if (typeof this.#request === "function") this.#request = this.#request();
    return this.#request;
  }

  /** Event names this connection listens to. */
  get subscriptions(): Set<string> {
    this.#subscriptions ??= new Set();
    return this.#subscriptions;
  }

  /** Sends an event to this connection only (after the state changes before it are committed). */
  send(event: string, ...args: unknown[]): void {
    this.owner?.deliver(this as Conn, event, args);
  }

  /** Closes the connection; `onDisconnect` runs. */
  async disconnect(reason = "disconnected"): Promise<void> {
    await this.owner?.disconnect(this as Conn, reason);
  }
}
