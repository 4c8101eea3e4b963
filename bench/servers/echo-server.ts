// The network floors: a bare HTTP echo (hono on @hono/node-server, as Troupe's server) and a bare
// WebSocket echo (ws, as Troupe's server) on one loopback port. They send back the bytes they get,
// without parsing them. Command "broadcast" sends `count` encoded ticks to every open socket.
// Frames sent to a socket in the same tick leave in one write (the socket is corked until the
// next tick): with ws, that is the fastest these libraries go, so it is the floor.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { type WebSocket, WebSocketServer } from "ws";
import { encodeCbor } from "../../packages/troupe/src/base/cbor.ts";
import type { Tick } from "../lib/actors.ts";
import { wallClock } from "../lib/clock.ts";
import { serveCommands } from "./serve-commands.ts";

const app = new Hono();
app.post("/echo", async (c) =>
  c.body(await c.req.arrayBuffer(), 200, { "content-type": c.req.header("content-type") ?? "application/octet-stream" }),
);
const server = createAdaptorServer({ fetch: app.fetch, hostname: "127.0.0.1" }) as Server;
const wss = new WebSocketServer({ server });
/** Corks the socket under `ws` until the next tick, so that everything sent meanwhile is one write. */
function batchWrites(ws: WebSocket): void {
  const socket = (ws as unknown as { _socket: Duplex })._socket;
  if (socket.writableCorked > 0) return;
  socket.cork();
  process.nextTick(() => socket.uncork());
}

wss.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => {
    batchWrites(ws);
    ws.send(data as Buffer, { binary: isBinary });
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;

serveCommands(
  { url: `http://127.0.0.1:${port}` },
  {
    broadcast: (command) => {
      const count = Number(command.count);
      for (let seq = 0; seq < count; seq++) {
        const bytes = encodeCbor({ seq, sentAt: wallClock() } satisfies Tick);
        for (const ws of wss.clients) {
          batchWrites(ws);
          ws.send(bytes, { binary: true });
        }
      }
      return { sent: count * wss.clients.size };
    },
  },
  async () => {
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  },
);
