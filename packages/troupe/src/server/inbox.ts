// What a ServerSocket receives, handed to its listeners in order: held while the socket is paused
// (the server's backpressure) and delivered on resume. Frames after the close are dropped, as a
// socket's are once its close frame is read. Shared by the sockets that get frames pushed to them
// (pushed-socket.ts) and the in-process pair (socket-pair.ts), which extend it.

export type Frame = string | Uint8Array<ArrayBuffer>;
export type Delivery = { kind: "message"; data: Frame } | { kind: "close"; code: number; reason: string };

export class Inbox {
  #onMessage: (data: Frame) => void = () => {};
  #onClose: (code: number, reason: string) => void = () => {};
  #paused = false;
  readonly #held: Delivery[] = [];
  #closed = false;

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
    while (!this.#paused && this.#held.length > 0) this.#dispatch(this.#held.shift() as Delivery);
  }

  push(delivery: Delivery): void {
    if (this.#paused || this.#held.length > 0) this.#held.push(delivery);
    else this.#dispatch(delivery);
  }

  #dispatch(delivery: Delivery): void {
    if (delivery.kind === "message") {
      if (!this.#closed) this.#onMessage(delivery.data);
      return;
    }
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose(delivery.code, delivery.reason);
  }
}
