// Two connected WebSocket ends in one process, with no network between them: what the in-process
// client hands an actor's onWebSocket. Each end is a ServerSocket, so the actor's side is the same
// RawWebSocket as over the network. Frames cross on a later turn, in order, as they would by wire.

import { nextTurn } from "../base/timers.ts";
import { type Delivery, type Frame, Inbox } from "./inbox.ts";
import type { ServerSocket } from "./socket.ts";

/** One end of a pair: what it sends, its peer receives. */
export class SocketEnd extends Inbox implements ServerSocket {
  readonly protocol: string;
  readonly bufferedAmount = 0;
  #peer!: SocketEnd;
  #open = true;

  constructor(protocol: string) {
    super();
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
    nextTurn(() => peer.push({ kind: "message", data: frame }));
  }

  /** Starts the close: the peer hears the code (1005, no status, when none is given), then both ends report it. */
  close(code?: number, reason = ""): void {
    if (!this.#open) return;
    this.#open = false;
    const close: Delivery = { kind: "close", code: code ?? 1005, reason };
    const peer = this.#peer;
    nextTurn(() => {
      peer.#open = false;
      peer.push(close);
      this.push(close);
    });
  }
}
