// Frames sent to one socket in the same tick leave in one write: the socket under `ws` is corked
// on the first frame and uncorked on the next tick, or sooner after FLUSH_EVERY frames so that a
// long burst (a broadcast loop) does not hold its first frames back until its end.

import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";

const FLUSH_EVERY = 64;

export class WriteBatch {
  readonly #socket: Duplex | undefined;
  #frames = 0;

  constructor(ws: WebSocket) {
    // `ws` keeps its network socket in `_socket`; without one (a test double) nothing is batched.
    this.#socket = (ws as unknown as { _socket?: Duplex })._socket;
  }

  /** Call before each send. */
  add(): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    if (this.#frames === 0) {
      socket.cork();
      process.nextTick(() => this.#flush());
    } else if (this.#frames >= FLUSH_EVERY) {
      this.#flush();
      socket.cork();
      process.nextTick(() => this.#flush());
    }
    this.#frames++;
  }

  #flush(): void {
    if (this.#frames === 0) return;
    this.#frames = 0;
    this.#socket?.uncork();
  }
}
