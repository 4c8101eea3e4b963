// Cluster mode: a WebSocket upgrade for an actor that another node runs is sent on to that node
// byte for byte (the request line and headers as they came, plus the forwarding headers), and the
// two sockets are joined: the handshake and every frame pass through untouched, whatever the
// route (`/connect` or a raw `/websocket/*`) and its subprotocols.

import type { IncomingMessage } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import { FORWARD_HEADERS } from "../forward.ts";

/** Joins `socket` to the same upgrade on the node at `address`; `refuse` answers the client when that node cannot be reached. */
export function forwardUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  address: string,
  extra: Array<[string, string]>,
  refuse: (status: number) => void,
): void {
  const url = new URL(address);
  const upstream = connect({ host: url.hostname, port: Number(url.port || 80) });
  let joined = false;
  upstream.once("connect", () => {
    joined = true;
    const ours = new Set(Object.values(FORWARD_HEADERS));
    const lines = [`${req.method ?? "GET"} ${req.url ?? "/"} HTTP/1.1`];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      if (!ours.has(name.toLowerCase() as (typeof FORWARD_HEADERS)[keyof typeof FORWARD_HEADERS]))
        lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
    }
    for (const [name, value] of extra) lines.push(`${name}: ${value}`);
    upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on("error", () => {
    if (joined) socket.destroy();
    else refuse(503);
  });
  socket.on("error", () => upstream.destroy());
  socket.on("close", () => upstream.destroy());
  upstream.on("close", () => socket.destroy());
}
