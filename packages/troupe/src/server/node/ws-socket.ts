// A `ws` WebSocket as a ServerSocket: text frames as strings, binary frames as plain bytes, and the
// frames of one tick batched into one write on the network socket under it.

import type { WebSocket } from "ws";
import type { ServerSocket } from "../socket.ts";
import { streamUnder, WriteBatch } from "../../base/write-batch.ts";

export class WsSocket implements ServerSocket {
  readonly #ws: WebSocket;
  readonly #batch: WriteBatch;

  constructor(ws: WebSocket) {
    this.#ws = ws;
    this.#batch = new WriteBatch(streamUnder(ws));
  }

  get protocol(): string {
    return this.#ws.protocol;
  }

  get isOpen(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  send(data: string | Uint8Array): void {
    this.#ws.send(data);
  }

  batch(): void {
    this.#batch.add();
  }

  close(code?: number, reason?: string): void {
    this.#ws.close(code, reason);
  }

  onMessage(listener: (data: string | Uint8Array<ArrayBuffer>) => void): void {
    // With the default binaryType ("nodebuffer") every message is one Buffer. A binary one is
    // copied out as a plain Uint8Array: decoders keep Buffer's type in what they return.
    this.#ws.on("message", (data, isBinary) => listener(isBinary ? new Uint8Array(data as Buffer) : (data as Buffer).toString("utf8")));
  }

  onClose(listener: (code: number, reason: string) => void): void {
    this.#ws.on("close", (code, reason) => listener(code, reason.toString("utf8")));
  }

  pause(): void {
    this.#ws.pause();
  }

  resume(): void {
    this.#ws.resume();
  }
}
