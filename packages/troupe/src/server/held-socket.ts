// A raw WebSocket as the server holds it for an actor's onWebSocket. Each instance of the actor
// gets a WebSocket of its own over it (`attach`): frames go to the last one attached. When a
// hibernatable socket's actor sleeps, the socket stays open here; the first frame (or the close)
// that arrives wakes the actor, and waits, with those after it, until the new instance's
// onWebSocket has attached its listeners.

import type { RawSocket } from "../host/gateway.ts";
import { RawWebSocket } from "./raw-web-socket.ts";
import type { ServerSocket } from "./socket.ts";

type Frame = string | Uint8Array<ArrayBuffer>;
type Delivery = { kind: "message"; data: Frame } | { kind: "close"; code: number; reason: string };

export class HeldSocket implements RawSocket, ServerSocket {
  readonly #socket: ServerSocket;
  readonly #url: string;
  #view: RawWebSocket | undefined;
  #opened = false;
  #onMessage: (data: Frame) => void = () => {};
  #onClose: (code: number, reason: string) => void = () => {};
  /** Set while the actor sleeps: what the first delivery calls. */
  #wake: (() => void) | undefined;
  /** Deliveries waiting for the woken instance's listeners. */
  #held: Delivery[] | undefined;

  /** `url` is the upgrade request's. */
  constructor(socket: ServerSocket, url: string) {
    this.#socket = socket;
    this.#url = url;
    socket.onMessage((data) => this.#receive({ kind: "message", data }));
    socket.onClose((code, reason) => this.#receive({ kind: "close", code, reason }));
  }

  // ---- RawSocket: what the gateway does with it ----

  attach(): WebSocket {
    this.#view = new RawWebSocket(this, this.#url);
    return this.#view;
  }

  /** The first onWebSocket returned: its `open` listeners run, once in the socket's life, as RivetKit's do. */
  opened(): void {
    if (this.#opened) return;
    this.#opened = true;
    this.#view?.dispatchEvent(new Event("open"));
  }

  sleep(wake: () => void): void {
    this.#wake = wake;
  }

  awake(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const delivery of held) this.#dispatch(delivery);
    this.#socket.resume();
  }

  // ---- ServerSocket: what the attached WebSocket uses ----

  get protocol(): string {
    return this.#socket.protocol;
  }

  get isOpen(): boolean {
    return this.#socket.isOpen;
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  send(data: string | Uint8Array): void {
    this.#socket.send(data);
  }

  close(code?: number, reason?: string): void {
    // Closed by the actor's side while it sleeps (a destroy, conn.disconnect): nothing to wake for.
    if (this.#wake !== undefined) {
      this.#wake = undefined;
      this.#onMessage = () => {};
      this.#onClose = () => {};
    }
    this.#socket.close(code, reason);
  }

  onMessage(listener: (data: Frame) => void): void {
    this.#onMessage = listener;
  }

  onClose(listener: (code: number, reason: string) => void): void {
    this.#onClose = listener;
  }

  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  #receive(delivery: Delivery): void {
    if (this.#held) {
      this.#held.push(delivery);
      return;
    }
    const wake = this.#wake;
    if (wake === undefined) {
      this.#dispatch(delivery);
      return;
    }
    // Asleep: hold this one, and pause the socket so that the rest wait in it.
    this.#wake = undefined;
    this.#held = [delivery];
    this.#socket.pause();
    wake();
  }

  #dispatch(delivery: Delivery): void {
    if (delivery.kind === "message") this.#onMessage(delivery.data);
    else this.#onClose(delivery.code, delivery.reason);
  }
}
