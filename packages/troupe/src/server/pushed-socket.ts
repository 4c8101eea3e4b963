// A ServerSocket for runtimes that push frames to a listener and cannot stop reading a socket (a
// web-standard WebSocket in Deno, Bun's server handlers, Hono's WebSocket helper): frames received
// while paused are held here and delivered in order on resume. The adapter supplies the sending side.

import { type Delivery, type Frame, Inbox } from "./inbox.ts";
import type { ServerSocket } from "./socket.ts";

/** What the runtime's socket offers for sending. */
export interface SendingSide {
  readonly protocol: string;
  readonly isOpen: boolean;
  readonly bufferedAmount: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export class PushedSocket extends Inbox implements ServerSocket {
  readonly #side: SendingSide;
  #closed = false;
  /** Blobs are read asynchronously; frames after one wait for it, to keep their order. */
  #reading: Promise<void> | undefined;

  constructor(side: SendingSide) {
    super();
    this.#side = side;
  }

  get protocol(): string {
    return this.#side.protocol;
  }

  get isOpen(): boolean {
    return !this.#closed && this.#side.isOpen;
  }

  get bufferedAmount(): number {
    return this.#side.bufferedAmount;
  }

  send(data: string | Uint8Array): void {
    if (this.isOpen) this.#side.send(data);
  }

  close(code?: number, reason?: string): void {
    if (this.isOpen) this.#side.close(code, reason);
  }

  /** The runtime received a frame: text as a string, binary in any of the forms runtimes use. */
  received(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    if (data instanceof Blob) {
      const bytes = data.arrayBuffer();
      this.#reading = Promise.all([this.#reading, bytes]).then(([, buffer]) =>
        this.push({ kind: "message", data: new Uint8Array(buffer) }),
      );
    } else if (this.#reading) {
      const frame = toFrame(data);
      this.#reading = this.#reading.then(() => this.push({ kind: "message", data: frame }));
    } else this.push({ kind: "message", data: toFrame(data) });
  }

  /** The runtime saw the connection end. Called once; later calls are ignored. */
  ended(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    const event: Delivery = { kind: "close", code, reason };
    if (this.#reading) this.#reading = this.#reading.then(() => this.push(event));
    else this.push(event);
  }
}

/** Text as it is; bytes as a plain Uint8Array the listener may keep (copied out of a view). */
function toFrame(data: string | ArrayBuffer | ArrayBufferView): Frame {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
}
