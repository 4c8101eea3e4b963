// The WebSocket an actor's onWebSocket receives: the web-standard interface over any runtime's
// ServerSocket, so actor code is the same on every runtime and sees none of their socket types.

import { isPromiseLike } from "../base/timers.ts";
import type { ServerSocket } from "./socket.ts";

type Handler<E extends Event> = ((this: WebSocket, event: E) => unknown) | null;

/** CloseEvent is global only from Node 23 on; this has its shape. */
class SocketCloseEvent extends Event implements CloseEvent {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;

  constructor(code: number, reason: string) {
    super("close");
    this.code = code;
    this.reason = reason;
    this.wasClean = code !== 1006; // 1006: the connection ended without a close frame
  }
}

export class RawWebSocket extends EventTarget implements WebSocket {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readonly url: string;
  readonly extensions = "";
  binaryType: BinaryType = "arraybuffer";
  readonly #socket: ServerSocket;
  #closed = false;
  readonly #handlers = new Map<string, Handler<Event>>();
  /** Set while a Blob is read: frames sent after it wait for it, so that they keep their order. */
  #blobRead: Promise<void> | undefined;

  /** Listeners as added, and the wrappers that report what they return. */
  readonly #wrapped = new WeakMap<EventListenerOrEventListenerObject, EventListener>();
  #track: ((work: Promise<unknown>) => void) | undefined;

  /** `url` is the upgrade request's. */
  constructor(socket: ServerSocket, url: string) {
    super();
    this.#socket = socket;
    const wsUrl = new URL(url);
    wsUrl.protocol = wsUrl.protocol === "https:" ? "wss:" : "ws:";
    this.url = wsUrl.href;
    socket.onMessage((data) => {
      if (typeof data === "string" || this.binaryType === "blob") {
        this.dispatchEvent(new MessageEvent("message", { data: typeof data === "string" ? data : new Blob([data]) }));
        return;
      }
      const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      this.dispatchEvent(new MessageEvent("message", { data: whole ? data.buffer : data.slice().buffer }));
    });
    socket.onClose((code, reason) => {
      this.#closed = true;
      this.dispatchEvent(new SocketCloseEvent(code, reason));
    });
  }

  /**
   * Hands the owner what the listeners return or throw: an async `message` or `close` handler
   * (added with addEventListener or set as `on<type>`) keeps the actor awake until it settles.
   */
  trackListeners(track: (work: Promise<unknown>) => void): void {
    this.#track = track;
  }

  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    if (listener === null) return;
    let wrapped = this.#wrapped.get(listener);
    if (wrapped === undefined) {
      wrapped = (event: Event) => {
        try {
          const result: unknown = typeof listener === "function" ? listener.call(this, event) : listener.handleEvent(event);
          if (isPromiseLike(result)) this.#track?.(Promise.resolve(result));
        } catch (error) {
          // A throwing listener must not become an uncaught exception of the server.
          this.#track?.(Promise.reject(error));
        }
      };
      this.#wrapped.set(listener, wrapped);
    }
    super.addEventListener(type, wrapped, options);
  }

  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    const wrapped = listener === null ? undefined : this.#wrapped.get(listener);
    if (wrapped !== undefined) super.removeEventListener(type, wrapped, options);
  }

  get protocol(): string {
    return this.#socket.protocol;
  }

  get readyState(): number {
    return this.#socket.isOpen ? this.OPEN : this.#closed ? this.CLOSED : this.CLOSING;
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (!(data instanceof Blob) && this.#blobRead === undefined) {
      this.#write(data);
      return;
    }
    const frame = data instanceof Blob ? data.arrayBuffer() : data;
    const read: Promise<void> = Promise.all([this.#blobRead, frame]).then(([, bytes]) => {
      this.#write(bytes);
      if (this.#blobRead === read) this.#blobRead = undefined;
    });
    this.#blobRead = read;
  }

  close(code?: number, reason?: string): void {
    this.#socket.close(code, reason);
  }

  // The socket is open when the actor receives it, and the runtimes report failures as a close.
  get onopen(): Handler<Event> {
    return this.#handler("open");
  }
  set onopen(handler: Handler<Event>) {
    this.#setHandler("open", handler);
  }
  get onerror(): Handler<Event> {
    return this.#handler("error");
  }
  set onerror(handler: Handler<Event>) {
    this.#setHandler("error", handler);
  }
  get onmessage(): Handler<MessageEvent> {
    return this.#handler("message");
  }
  set onmessage(handler: Handler<MessageEvent>) {
    this.#setHandler("message", handler as Handler<Event>);
  }
  get onclose(): Handler<CloseEvent> {
    return this.#handler("close");
  }
  set onclose(handler: Handler<CloseEvent>) {
    this.#setHandler("close", handler as Handler<Event>);
  }

  #write(data: string | ArrayBufferLike | ArrayBufferView): void {
    if (typeof data === "string") this.#socket.send(data);
    else if (ArrayBuffer.isView(data)) this.#socket.send(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    else this.#socket.send(new Uint8Array(data));
  }

  #handler(type: string): Handler<Event> {
    return this.#handlers.get(type) ?? null;
  }

  /** An `on<type>` handler is one listener, added where it was first set, as in browsers. */
  #setHandler(type: string, handler: Handler<Event>): void {
    if (!this.#handlers.has(type)) this.addEventListener(type, (event) => this.#handlers.get(type)?.call(this, event));
    this.#handlers.set(type, handler);
  }
}
