// Frames sent on one socket in the same tick leave in one write: the stream is corked on the first
// frame and uncorked on the next tick, or sooner after FLUSH_EVERY frames so that a long burst (a
// broadcast loop) does not hold its first frames back until its end. For the Node client's socket
// under `ws`: one syscall per tick instead of one per frame (the server frames and joins its own:
// server/node/frame-batch.ts).

const FLUSH_EVERY = 64;

/** What a batch holds back: a Node stream (net.Socket). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

export class WriteBatch {
  readonly #stream: Corkable | undefined;
  #frames = 0;

  /** Without a stream (a test double) nothing is batched. */
  constructor(stream: Corkable | undefined) {
    this.#stream = stream;
  }

  /** Call before each send. */
  add(): void {
    const stream = this.#stream;
    if (stream === undefined) return;
    if (this.#frames === 0) {
      stream.cork();
      process.nextTick(() => this.#flush());
    } else if (this.#frames >= FLUSH_EVERY) {
      this.#flush();
      stream.cork();
      process.nextTick(() => this.#flush());
    }
    this.#frames++;
  }

  #flush(): void {
    if (this.#frames === 0) return;
    this.#frames = 0;
    this.#stream?.uncork();
  }
}

/** The network socket `ws` keeps under a WebSocket (in `_socket`), when it has one. */
export function streamUnder(ws: object): Corkable | undefined {
  return (ws as { _socket?: Corkable })._socket;
}
