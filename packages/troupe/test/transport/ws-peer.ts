// A hand-driven WebSocket peer for protocol tests: sends encoded messages, awaits replies in order.

import { WebSocket } from "ws";
import { decodeCbor, encodeCbor } from "../../src/base/cbor.ts";

export type Encoding = "json" | "cbor";
export type Message = Record<string, unknown>;

export class Peer {
  readonly socket: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #inbox: Message[] = [];
  readonly #waiters: Array<(m: Message) => void> = [];
  readonly #encoding: Encoding;

  constructor(url: string, encoding: Encoding, extraProtocols: string[] = []) {
    this.#encoding = encoding;
    this.socket = new WebSocket(url, ["troupe.v1", `troupe.encoding.${encoding}`, ...extraProtocols]);
    this.socket.on("message", (data, isBinary) => {
      const buf = data as Buffer;
      const msg = (isBinary ? decodeCbor(new Uint8Array(buf)) : JSON.parse(buf.toString("utf8"))) as Message;
      const waiter = this.#waiters.shift();
      if (waiter) waiter(msg);
      else this.#inbox.push(msg);
    });
    this.closed = new Promise((resolve) => this.socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static params(value: unknown): string {
    return `troupe.params.${Buffer.from(JSON.stringify(value)).toString("base64url")}`;
  }

  send(message: unknown): void {
    this.socket.send(this.#encoding === "json" ? JSON.stringify(message) : encodeCbor(message));
  }

  sendRaw(data: string | Uint8Array): void {
    this.socket.send(data);
  }

  next(): Promise<Message> {
    const queued = this.#inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** The next messages until `count` have arrived, sorted by type for order-independent checks. */
  async take(count: number): Promise<Message[]> {
    const out: Message[] = [];
    for (let i = 0; i < count; i++) out.push(await this.next());
    return out;
  }

  close(): void {
    this.socket.close();
  }
}
