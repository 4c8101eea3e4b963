// The frames the server sends to one socket in the same tick leave in one write: they are kept
// here, whole (see frame.ts), and joined into one buffer at the next tick, or sooner once
// FLUSH_FRAMES or FLUSH_BYTES of them wait, so that a long burst (a broadcast loop) does not hold
// its first frames back until its end. Writing one buffer costs the stream far less than corking
// it and writing each frame, which client/write-batch.ts does for the client (ws masks its frames).

import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";

const FLUSH_FRAMES = 64;
const FLUSH_BYTES = 16 * 1024;

export class FrameBatch {
  readonly #ws: WebSocket;
  readonly #socket: Duplex;
  #frames: Buffer[] = [];
  #bytes = 0;
  #scheduled = false;

  /** `socket` is the network socket under `ws`. */
  constructor(ws: WebSocket, socket: Duplex) {
    this.#ws = ws;
    this.#socket = socket;
  }

  /** Bytes waiting here for the next write. */
  get pending(): number {
    return this.#bytes;
  }

  add(frame: Buffer): void {
    this.#frames.push(frame);
    this.#bytes += frame.byteLength;
    if (this.#frames.length >= FLUSH_FRAMES || this.#bytes >= FLUSH_BYTES) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      process.nextTick(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  /**
   * Writes what waits now. Once `ws` has started closing (it may have answered the peer's close
   * frame by itself) no data frame may follow: what waits is dropped, as `ws` drops it.
   */
  flush(): void {
    const frames = this.#frames;
    if (frames.length === 0) return;
    const bytes = this.#bytes;
    this.#frames = [];
    this.#bytes = 0;
    if (this.#ws.readyState !== this.#ws.OPEN || !this.#socket.writable) return;
    this.#socket.write(frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames, bytes));
  }
}
