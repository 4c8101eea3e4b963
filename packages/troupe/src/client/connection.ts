// A client-side connection: event listeners, status, and calls over the driver's connection.

import { ActorError } from "../base/errors.ts";
import type { ActorQuery, CallOptions, ClientDriver, DriverConn, SendOptions, SendResult } from "./driver.ts";
import { queueProxy } from "./queue-proxy.ts";
import type { ConnStatus } from "./types.ts";

type Listener = (...args: unknown[]) => void;

export class ActorConnImpl {
  readonly #events = new Map<string, Set<Listener>>();
  readonly #errorListeners = new Set<(error: unknown) => void>();
  readonly #openListeners = new Set<() => void>();
  readonly #closeListeners = new Set<(reason: string) => void>();
  readonly #statusListeners = new Set<(status: ConnStatus) => void>();
  readonly #conn: DriverConn;
  readonly ready: Promise<void>;
  #resolveReady!: () => void;
  #rejectReady!: (error: unknown) => void;
  #opened = false;
  #lastError: unknown;
  #status: ConnStatus = "connecting";
  actorId: string | undefined;
  connId: string | undefined;
  #onDispose: () => void;
  #queue: unknown;

  constructor(driver: ClientDriver, query: ActorQuery, options: CallOptions, onDispose: () => void) {
    this.#onDispose = onDispose;
    this.ready = new Promise((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // `ready` rejects when the connection can never open; nobody has to await it, so a rejection
    // nobody observes must not surface as an unhandled one.
    this.ready.catch(() => {});
    this.#conn = driver.connect(query, options, {
      open: (info) => {
        this.actorId = info.actorId;
        this.connId = info.connId;
        this.#opened = true;
        this.#setStatus("connected");
        this.#resolveReady();
        for (const listener of this.#openListeners) listener();
      },
      event: (name, args) => {
        for (const listener of this.#events.get(name) ?? []) listener(...args);
      },
      error: (error) => {
        this.#lastError = error;
        for (const listener of this.#errorListeners) listener(error);
      },
      close: (reason, reconnecting) => {
        if (this.#status === "idle") return;
        // Closed for good before it ever opened: the connection failed; it is idle, not waiting.
        const failed = !reconnecting && !this.#opened;
        this.#setStatus(reason === "disposed" || failed ? "idle" : "disconnected");
        if (failed) {
          this.#rejectReady(
            this.#lastError ?? new ActorError("client", "connection_failed", `The connection could not be opened: ${reason}.`),
          );
        }
        for (const listener of this.#closeListeners) listener(reason);
      },
      connecting: () => {
        if (this.#status !== "idle") this.#setStatus("connecting");
      },
    });
  }

  get connStatus(): ConnStatus {
    return this.#status;
  }

  get isConnected(): boolean {
    return this.#status === "connected";
  }

  #setStatus(status: ConnStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
  }

  /** Enqueues `body` on the actor's queue `name`, sent by this connection (`c.conn` in `canPublish`). */
  async send(name: string, body: unknown, options: SendOptions = {}): Promise<SendResult | undefined> {
    const result = await this.#conn.send(name, body, options);
    return options.wait ? result : undefined;
  }

  /** `queue.send(body)` for the default queue, `queue.<name>.send(body)` for the others. */
  get queue(): unknown {
    this.#queue ??= queueProxy((name, body, options) => this.send(name, body, options));
    return this.#queue;
  }

  /** Calls an action by (dotted) name, including one whose name a connection member hides. */
  action(call: { name: string; args?: unknown[] }): Promise<unknown> {
    return this.#conn.action(call.name, call.args ?? []);
  }

  on(event: string, listener: Listener): () => void {
    let set = this.#events.get(event);
    if (!set) {
      set = new Set();
      this.#events.set(event, set);
      this.#conn.subscribe(event, true);
    }
    set.add(listener);
    return () => {
      const current = this.#events.get(event);
      if (!current?.delete(listener) || current.size > 0) return;
      this.#events.delete(event);
      this.#conn.subscribe(event, false);
    };
  }

  once(event: string, listener: Listener): () => void {
    const off = this.on(event, (...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  onError(listener: (error: unknown) => void): () => void {
    return addTo(this.#errorListeners, listener);
  }
  onOpen(listener: () => void): () => void {
    return addTo(this.#openListeners, listener);
  }
  onClose(listener: (reason: string) => void): () => void {
    return addTo(this.#closeListeners, listener);
  }
  onStatusChange(listener: (status: ConnStatus) => void): () => void {
    return addTo(this.#statusListeners, listener);
  }

  async dispose(): Promise<void> {
    if (this.#status === "idle") return;
    this.#onDispose();
    this.#setStatus("idle");
    await this.#conn.close();
    for (const listener of this.#closeListeners) listener("disposed");
  }
}

function addTo<T>(set: Set<T>, item: T): () => void {
  set.add(item);
  return () => set.delete(item);
}
