// One actor connection over WebSocket, client side: calls wait in a queue until the socket is
// open; after an unexpected close it reconnects with backoff, recomputes params, re-subscribes,
// and rejects the calls that were in flight (they may or may not have run).

import { ActorError, isActorError } from "../base/errors.ts";
import { decode, encode } from "../protocol/codec.ts";
import { actorPath, CLOSE_CODES, connectByKeyPath, encodeParams, SUBPROTOCOLS, type ToClient, type ToServer } from "../protocol/wire.ts";
import { type BackoffOptions, backoffDelay } from "./backoff.ts";
import type { ActorQuery, CallOptions, ConnListener, DriverConn, SendOptions, SendResult } from "./driver.ts";
import { errorFromWire, type HttpSettings } from "./http.ts";
import { paramsFor } from "./params.ts";

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

export interface RemoteConnContext {
  settings: HttpSettings;
  WebSocket: WebSocketConstructor;
  query: ActorQuery;
  options: CallOptions;
  /** The actor's id; `params` go with a key lookup for the actor's onBeforeCreate. */
  resolve: (query: ActorQuery, params: unknown) => Promise<string>;
  backoff: BackoffOptions;
}

interface Call {
  resolve(output: unknown): void;
  reject(error: unknown): void;
}

/** Errors after which opening again can succeed; anything else (auth, bad params, ...) is final. */
const RETRYABLE = new Set(["client.connection_failed", "client.get_params_failed", "registry.shut_down", "actor.stopping", "actor.fenced"]);

export class RemoteConn implements DriverConn {
  readonly #ctx: RemoteConnContext;
  readonly #listener: ConnListener;
  #socket: WebSocket | undefined;
  #open = false;
  #everOpened = false;
  #final: ActorError | undefined;
  #openError: ActorError | undefined;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #nextId = 1;
  readonly #inflight = new Map<number, Call>();
  readonly #queued: Array<Call & { id: number; message: ToServer }> = [];
  readonly #subscriptions = new Set<string>();

  constructor(ctx: RemoteConnContext, listener: ConnListener) {
    this.#ctx = ctx;
    this.#listener = listener;
    void this.#connect();
  }

  action(name: string, args: unknown[]): Promise<unknown> {
    return this.#request((id) => ({ type: "action", id, name, args }));
  }

  send(queue: string, body: unknown, options: SendOptions): Promise<SendResult | undefined> {
    const { wait, timeout, idempotencyKey } = options;
    return this.#request((id) => ({ type: "send", id, queue, body, options: { wait, timeout, idempotencyKey } })) as Promise<
      SendResult | undefined
    >;
  }

  /** Sends a request now if the socket is open, else queues it until it is. */
  #request(message: (id: number) => ToServer): Promise<unknown> {
    if (this.#final) return Promise.reject(this.#final);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#open) {
        this.#inflight.set(id, { resolve, reject });
        this.#send(message(id));
      } else {
        this.#queued.push({ id, message: message(id), resolve, reject });
      }
    });
  }

  subscribe(event: string, subscribed: boolean): void {
    if (subscribed) this.#subscriptions.add(event);
    else this.#subscriptions.delete(event);
    if (this.#open) this.#send({ type: "subscribe", event, subscribe: subscribed });
  }

  async close(): Promise<void> {
    if (this.#final) return;
    this.#finish(new ActorError("client", "disposed", "The connection was disposed."));
    this.#socket?.close(CLOSE_CODES.normal, "disposed");
  }

  async #connect(): Promise<void> {
    const { settings, query } = this.#ctx;
    try {
      const params = await paramsFor(this.#ctx.options);
      const protocols = [SUBPROTOCOLS.version, `${SUBPROTOCOLS.encoding}${settings.encoding}`];
      // A query by key without input travels with the connect (one round trip); others are resolved first.
      const byKey = query.kind === "get" || (query.kind === "getOrCreate" && query.input === undefined);
      let path: string;
      if (byKey) {
        protocols.push(`${SUBPROTOCOLS.query}${encodeParams({ kind: query.kind, key: query.key })}`);
        path = connectByKeyPath(query.name);
      } else {
        path = actorPath(query.name, await this.#ctx.resolve(query, params), "connect");
      }
      if (this.#final) return;
      if (params !== undefined) protocols.push(`${SUBPROTOCOLS.params}${encodeParams(params)}`);
      if (settings.token !== undefined) protocols.push(`${SUBPROTOCOLS.token}${encodeParams(settings.token)}`);
      const url = `${settings.endpoint.replace(/^http/, "ws")}${path}`;
      const socket = new this.#ctx.WebSocket(url, protocols);
      socket.binaryType = binaryType(socket);
      this.#socket = socket;
      this.#openError = undefined;
      socket.onmessage = (event: MessageEvent) => this.#onMessage(event.data);
      socket.onclose = (event: CloseEvent) => this.#onClose(socket, event.code, event.reason);
      // A close event always follows an error, and is where failures are handled.
      socket.onerror = () => {};
    } catch (error) {
      this.#failed(error);
    }
  }

  #send(message: ToServer): void {
    this.#socket?.send(encode(message, this.#ctx.settings.encoding) as string | ArrayBuffer);
  }

  #onMessage(data: string | ArrayBuffer | Uint8Array): void {
    let message: ToClient;
    try {
      // A Buffer of `ws` is read through a plain view: decoding copies what the value keeps of it.
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : typeof data === "string" ? data : plainView(data);
      message = decode(bytes, this.#ctx.settings.encoding) as ToClient;
    } catch (error) {
      this.#listener.error(
        new ActorError("client", "malformed_response", "The server sent a message that could not be decoded.", { cause: error }),
      );
      return;
    }
    switch (message.type) {
      case "init":
        this.#opened(message.actorId, message.connId);
        return;
      case "result": {
        const call = this.#inflight.get(message.id);
        this.#inflight.delete(message.id);
        call?.resolve(message.output);
        return;
      }
      case "event":
        this.#listener.event(message.name, message.args);
        return;
      case "error": {
        const error = errorFromWire(message);
        const call = message.id === undefined ? undefined : this.#inflight.get(message.id);
        if (call) {
          this.#inflight.delete(message.id!);
          call.reject(error);
        } else if (!this.#open) this.#openError = error;
        else this.#listener.error(error);
      }
    }
  }

  #opened(actorId: string, connId: string): void {
    this.#open = true;
    this.#everOpened = true;
    this.#attempt = 0;
    // Subscriptions first, so the events of the queued calls are not missed.
    for (const event of this.#subscriptions) this.#send({ type: "subscribe", event, subscribe: true });
    for (const call of this.#queued.splice(0)) {
      this.#inflight.set(call.id, call);
      this.#send(call.message);
    }
    this.#listener.open({ actorId, connId });
  }

  #onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    const wasOpen = this.#open;
    this.#open = false;
    this.#socket = undefined;
    // Over the size limit, the server closes the socket: the calls in flight get that error, not a lost connection.
    const lost =
      code === CLOSE_CODES.tooBig
        ? new ActorError(
            "message",
            "incoming_too_long",
            "A message on this connection was over the server's size limit; the server closed it.",
            {
              metadata: { code, reason },
            },
          )
        : new ActorError("client", "connection_lost", "The connection closed before the action's reply came; it may or may not have run.", {
            metadata: { code, reason },
          });
    for (const call of this.#inflight.values()) call.reject(lost);
    this.#inflight.clear();
    if (this.#final) return;
    if (!wasOpen) {
      const fallback = new ActorError(
        "client",
        "connection_failed",
        `The connection could not be opened (close code ${code}${reason ? `, ${reason}` : ""}).`,
        {
          metadata: { code, reason },
        },
      );
      this.#failed(this.#openError ?? fallback);
    } else if (code === CLOSE_CODES.normal) {
      // The actor closed it on purpose (conn.disconnect, destroy): reconnecting would defy it.
      this.#finish(
        new ActorError("client", "connection_lost", `The actor closed the connection: ${reason}`, { metadata: { code, reason } }),
      );
      this.#listener.close(reason, false);
    } else {
      this.#listener.close(reason || `connection lost (code ${code})`, true);
      this.#schedule();
    }
  }

  /** An open attempt failed: retry after a delay, or give up for good on a final error. */
  #failed(cause: unknown): void {
    if (this.#final) return;
    const error = isActorError(cause)
      ? cause
      : new ActorError("client", "connection_failed", cause instanceof Error ? cause.message : String(cause), { cause });
    const id = `${error.group}.${error.code}`;
    // A key-based connection whose actor was destroyed finds (or creates) the new one.
    const retry = RETRYABLE.has(id) || (id === "actor.not_found" && this.#everOpened && this.#ctx.query.kind !== "id");
    if (!retry) {
      this.#listener.error(error);
      this.#finish(error);
      this.#listener.close(`${error.group}.${error.code}`, false);
      return;
    }
    if (id === "client.get_params_failed") {
      this.#listener.error(error);
      for (const call of this.#queued.splice(0)) call.reject(error);
    }
    this.#schedule();
  }

  #schedule(): void {
    const delay = backoffDelay(this.#attempt++, this.#ctx.backoff);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#final) return;
      this.#listener.connecting();
      void this.#connect();
    }, delay);
  }

  #finish(error: ActorError): void {
    this.#final = error;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    for (const call of this.#queued.splice(0)) call.reject(error);
    for (const call of this.#inflight.values()) call.reject(error);
    this.#inflight.clear();
  }
}

/**
 * "nodebuffer" where the socket takes it (the `ws` package): each message then arrives in the
 * buffer it was read into, where "arraybuffer" costs a new ArrayBuffer per message, the largest
 * cost of receiving small events. Browsers and undici ignore the value (older undici falls back to
 * "blob"), and get "arraybuffer".
 */
function binaryType(socket: WebSocket): BinaryType {
  socket.binaryType = "nodebuffer" as BinaryType;
  return socket.binaryType === ("nodebuffer" as BinaryType) ? socket.binaryType : "arraybuffer";
}

function plainView(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
