// Two connected WebSocket ends in one process, with no network between them: what the in-process
// client hands an actor's onWebSocket. Each end is a ServerSocket, so the actor's side is the same
// RawWebSocket as over the network. Frames cross on a later turn, in order, as they would by wire.

import { nextTurn } from "../base/timers.ts";
import type { ServerSocket } from "./socket.ts";

type Frame = string | Uint8Array<ArrayBuffer>;
type Delivery = { kind: "message"; data: Frame } | { kind: "close"; code: number; reason: string };

/** One end of a pair: what it sends, its peer receives. */
export class SocketEnd implements ServerSocket {
  readonly protocol: string;
  readonly bufferedAmount = 0;
  #peer!: SocketEnd;
  #open = true;
  #closeReported = false;
  #paused = false;
  readonly #held: Delivery[] = [];
  #onMessage: (data: Frame) => void = () => {};
  #onClose: (code: number, reason: string) => void = () => {};

  constructor(protocol: string) {
    this.protocol = protocol;
  }

  /** Links two ends. */
  static pair(protocol: string): [SocketEnd, SocketEnd] {
    const a = new SocketEnd(protocol);
    const b = new SocketEnd(protocol);
    a.#peer = b;
    b.#peer = a;
    return [a, b];
  }

  get isOpen(): boolean {
    return this.#open;
  }

  send(data: string | Uint8Array): void {
    if (!this.#open) return;
    // Copied: the sender may reuse its buffer once send returns, as it may with a real socket.
    const frame: Frame = typeof data === "string" ? data : new Uint8Array(data);
    const peer = this.#peer;
    nextTurn(() => peer.#deliver({ kind: "message", data: frame }));
  }

  /** Starts the close: the peer hears the code (1005, no status, when none is given), then both ends report it. */
  close(code?: number, reason = ""): void {
    if (!this.#open) return;
    this.#open = false;
    const close: Delivery = { kind: "close", code: code ?? 1005, reason };
    const peer = this.#peer;
    nextTurn(() => {
      peer.#open = false;
      peer.#deliver(close);
      this.#deliver(close);
    });
  }

  onMessage(listener: (data: Frame) => void): void {
    this.#onMessage = listener;
  }

  onClose(listener: (code: number, reason: string) => void): void {
    this.#onClose = listener;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    while (!this.#paused && this.#held.length > 0) this.#dispatch(this.#held.shift()!);
  }

  #deliver(delivery: Delivery): void {
    if (this.#paused || this.#held.length > 0) this.#held.push(delivery);
    else this.#dispatch(delivery);
  }

  #dispatch(delivery: Delivery): void {
    if (delivery.kind === "message") {
      // Frames after a close are dropped, as a socket's are once its close frame is read.
      if (!this.#closeReported) this.#onMessage(delivery.data);
      return;
    }
    if (this.#closeReported) return;
    this.#closeReported = true;
    this.#open = false;
    this.#onClose(delivery.code, delivery.reason);
  }
}
