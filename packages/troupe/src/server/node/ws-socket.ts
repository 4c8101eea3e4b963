// A `ws` WebSocket as a ServerSocket: text frames as strings, binary frames as plain bytes. Data
// frames are built here and written to the network socket under `ws` in batches (frame-batch.ts);
// the same data sent to many sockets in a row (a broadcast) is framed once.

import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import type { ServerSocket } from "../socket.ts";
import { dataFrame } from "./frame.ts";
import { FrameBatch } from "./frame-batch.ts";

export class WsSocket implements ServerSocket {
  readonly #ws: WebSocket;
  /** Absent when frames must go through `ws` (an extension such as compression was agreed, or no network socket). */
  readonly #batch: FrameBatch | undefined;

  constructor(ws: WebSocket) {
    this.#ws = ws;
    // `ws` keeps its network socket in `_socket`; it writes nothing there itself between two data
    // frames unless an extension (compression) is in use.
    const socket = (ws as unknown as { _socket?: Duplex })._socket;
    const batch = socket !== undefined && ws.extensions === "" ? new FrameBatch(ws, socket) : undefined;
    this.#batch = batch;
    if (batch !== undefined) {
      // Whoever closes the socket (this adapter, the server shutting down, `ws` answering the peer's
      // close frame), the frames sent before go out first: a reply waiting for the next tick is
      // an acknowledged call's answer, and would otherwise be dropped.
      const close = ws.close.bind(ws);
      ws.close = (code?: number, reason?: string | Buffer) => {
        batch.flush();
        close(code, reason);
      };
    }
  }

  get protocol(): string {
    return this.#ws.protocol;
  }

  get isOpen(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount + (this.#batch?.pending ?? 0);
  }

  send(data: string | Uint8Array): void {
    if (!this.isOpen) return;
    if (this.#batch) this.#batch.add(framed(data));
    else this.#ws.send(data);
  }

  close(code?: number, reason?: string): void {
    this.#ws.close(code, reason);
  }

  onMessage(listener: (data: string | Uint8Array<ArrayBuffer>) => void): void {
    // With the default binaryType ("nodebuffer") every message is one Buffer, which `ws` does not
    // reuse. A binary one is handed on as a plain view of it: copying small frames cost more than
    // anything else in receiving them, and decoding (protocol/codec.ts) keeps nothing of the view.
    this.#ws.on("message", (data, isBinary) => {
      const buffer = data as Buffer;
      listener(isBinary ? new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength) : buffer.toString("utf8"));
    });
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

/**
 * The last data framed, with its frame: a broadcast sends one encoded event to each socket in turn.
 * Bytes are compared too, since a caller may change an array between two sends.
 */
let last: { data: string | Uint8Array; frame: Buffer } | undefined;

function framed(data: string | Uint8Array): Buffer {
  if (last?.data === data && (typeof data === "string" || last.frame.subarray(last.frame.byteLength - data.byteLength).equals(data))) {
    return last.frame;
  }
  last = { data, frame: dataFrame(data) };
  return last.frame;
}
