// Clients of the bare echo floors (servers/echo-server.ts), doing what Troupe's client does for a
// call: encode the arguments, send, wait for the reply, decode it.

import WebSocket from "ws";
import { decodeCbor, encodeCbor } from "../../packages/troupe/src/base/cbor.ts";

export type Encoding = "json" | "cbor";

/** One call to the bare HTTP echo (or to one of its durable routes, e.g. "/insert"), with a CBOR body (Troupe's client default). */
export async function httpEcho(url: string, payload: unknown, route = "/echo"): Promise<unknown> {
  const response = await fetch(`${url}${route}`, {
    method: "POST",
    body: encodeCbor(payload) as Uint8Array<ArrayBuffer>,
    headers: { "content-type": "application/cbor" },
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!response.ok) throw new Error(`${route} answered ${response.status}`);
  return decodeCbor(bytes);
}

/** A socket to the bare WebSocket echo (path "/update": each message committed first); calls carry an id, so that many can be in flight. */
export class WsEchoClient {
  readonly #ws: WebSocket;
  readonly #encoding: Encoding;
  readonly #pending = new Map<number, (value: unknown) => void>();
  #nextId = 0;

  private constructor(ws: WebSocket, encoding: Encoding) {
    this.#ws = ws;
    this.#encoding = encoding;
    ws.on("message", (data: Buffer, isBinary) => {
      const reply = (isBinary ? decodeCbor(data) : JSON.parse(data.toString())) as { id: number; payload: unknown };
      this.#pending.get(reply.id)?.(reply.payload);
      this.#pending.delete(reply.id);
    });
  }

  static async open(url: string, encoding: Encoding): Promise<WsEchoClient> {
    const ws = new WebSocket(url.replace(/^http/, "ws"));
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    return new WsEchoClient(ws, encoding);
  }

  call(payload: unknown): Promise<unknown> {
    const id = this.#nextId++;
    const message = { id, payload };
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      if (this.#encoding === "json") this.#ws.send(JSON.stringify(message));
      else this.#ws.send(encodeCbor(message), { binary: true });
    });
  }

  close(): void {
    this.#ws.terminate();
  }
}
