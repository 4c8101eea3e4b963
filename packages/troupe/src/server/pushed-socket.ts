// A ServerSocket for runtimes that push frames to a listener and cannot stop reading a socket (a
// web-standard WebSocket in Deno, Bun's server handlers, Hono's WebSocket helper): frames received
// while paused are held here and delivered in order on resume. The adapter supplies the sending side.

import type { ServerSocket } from "./socket.ts";

/** What the runtime's socket offers for sending. */
export interface SendingSide {
  readonly protocol: string;
  readonly isOpen: boolean;
  readonly bufferedAmount: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

type Frame = string | Uint8Array<ArrayBuffer>;

export class PushedSocket implements ServerSocket {
  readonly #side: SendingSide;
  #onMessage: (data: Frame) => void = () => {};
  #onClose: (code: number, reason: string) => void = () => {};
  #paused = false;
  #held: Array<{ data: Frame } | { code: number; reason: string }> = [];
  #closed = false;
  /** Blobs are read asynchronously; frames after one wait for it, to keep their order. */
  #reading: Promise<void> | undefined;

  constructor(side: SendingSide) {
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
    while (!this.#paused && this.#held.length > 0) this.#deliver(this.#held.shift()!);
  }

  /** The runtime received a frame: text as a string, binary in any of the forms runtimes use. */
  received(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    if (data instanceof Blob) {
      const bytes = data.arrayBuffer();
      this.#reading = Promise.all([this.#reading, bytes]).then(([, buffer]) => this.#push({ data: new Uint8Array(buffer) }));
    } else if (this.#reading) {
      const frame = toFrame(data);
      this.#reading = this.#reading.then(() => this.#push({ data: frame }));
    } else this.#push({ data: toFrame(data) });
  }

  /** The runtime saw the connection end. Called once; later calls are ignored. */
  ended(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    const event = { code, reason };
    if (this.#reading) this.#reading = this.#reading.then(() => this.#push(event));
    else this.#push(event);
  }

  #push(item: { data: Frame } | { code: number; reason: string }): void {
    if (this.#paused) this.#held.push(item);
    else this.#deliver(item);
  }

  #deliver(item: { data: Frame } | { code: number; reason: string }): void {
    if ("data" in item) this.#onMessage(item.data);
    else this.#onClose(item.code, item.reason);
  }
}

/** Text as it is; bytes as a plain Uint8Array the listener may keep (copied out of a view). */
function toFrame(data: string | ArrayBuffer | ArrayBufferView): Frame {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
}
