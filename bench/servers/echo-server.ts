// The network floors: a bare HTTP echo (hono on @hono/node-server, as Troupe's server) and a bare
// WebSocket echo (ws, as Troupe's server) on one loopback port. They send back the bytes they get,
// without parsing them. Beside the plain echo, the durable floors do the least storage work the
// matching Troupe call needs before it replies, on the Troupe SQLite driver's pragmas:
//   POST /echo          the bytes back
//   POST /insert        one new row (state = the body) committed, then the bytes back (a new actor)
//   POST /update/:key   row `key`'s state rewritten and committed, then the bytes back (a durable action)
//   POST /read/:key     row `key` read, then the bytes back (a wake); command "seed" inserts rows k0..k{n-1}
//   WebSocket /         the bytes back
//   WebSocket /update   per message, the socket's row rewritten and committed, then the bytes back
// Commits of the same tick are grouped into one transaction (floors/group-commit.ts).
// Command "broadcast" sends `count` ticks, encoded as Troupe's event messages, to every open
// socket. Frames sent to a socket in the same tick leave in one write (the socket is corked until
// the next tick): with ws, that is the fastest these libraries go, so it is the floor.

import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { type WebSocket, WebSocketServer } from "ws";
import { encodeCbor } from "../../packages/troupe/src/base/cbor.ts";
import { GroupCommit } from "../floors/group-commit.ts";
import { type FloorRow, floorRow, SqliteFloor } from "../floors/sqlite-floor.ts";
import type { Tick } from "../lib/actors.ts";
import { wallClock } from "../lib/clock.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { serveCommands } from "./serve-commands.ts";

const dir = tempDir();
const floor = new SqliteFloor(dir.file("floor.db"));
const commits = new GroupCommit<FloorRow>((rows) => floor.put(rows));
/** A row whose id is its key, so that a write finds it by primary key. */
const keyedRow = (key: string, state: Uint8Array): FloorRow => ({ ...floorRow(key, 0), id: key, state });

const app = new Hono();
const echo = async (body: ArrayBuffer, contentType: string | undefined) =>
  new Response(body, { headers: { "content-type": contentType ?? "application/octet-stream" } });
app.post("/echo", async (c) => echo(await c.req.arrayBuffer(), c.req.header("content-type")));
app.post("/insert", async (c) => {
  const body = await c.req.arrayBuffer();
  await commits.write({ ...floorRow(crypto.randomUUID(), 0), state: new Uint8Array(body) });
  return echo(body, c.req.header("content-type"));
});
app.post("/update/:key", async (c) => {
  const body = await c.req.arrayBuffer();
  await commits.write(keyedRow(c.req.param("key"), new Uint8Array(body)));
  return echo(body, c.req.header("content-type"));
});
app.post("/read/:key", async (c) => {
  const body = await c.req.arrayBuffer();
  if (!floor.read("counter", JSON.stringify([c.req.param("key")]))) return c.text("no such row", 404);
  return echo(body, c.req.header("content-type"));
});

const server = createAdaptorServer({ fetch: app.fetch, hostname: "127.0.0.1" }) as Server;
const wss = new WebSocketServer({ server });
/** Corks the socket under `ws` until the next tick, so that everything sent meanwhile is one write. */
function batchWrites(ws: WebSocket): void {
  const socket = (ws as unknown as { _socket: Duplex })._socket;
  if (socket.writableCorked > 0) return;
  socket.cork();
  process.nextTick(() => socket.uncork());
}

wss.on("connection", (ws, request: IncomingMessage) => {
  const durable = request.url === "/update";
  const key = crypto.randomUUID();
  ws.on("message", (data: Buffer, isBinary) => {
    const reply = () => {
      batchWrites(ws);
      ws.send(data, { binary: isBinary });
    };
    if (durable) commits.write(keyedRow(key, new Uint8Array(data))).then(reply, (error: unknown) => ws.close(1011, String(error)));
    else reply();
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;

serveCommands(
  { url: `http://127.0.0.1:${port}` },
  {
    seed: (command) => {
      const count = Number(command.count);
      for (let first = 0; first < count; first += 1_000) {
        floor.insert(Array.from({ length: Math.min(1_000, count - first) }, (_, i) => floorRow(`k${first + i}`, 1)));
      }
      return { seeded: count };
    },
    broadcast: (command) => {
      const count = Number(command.count);
      for (let seq = 0; seq < count; seq++) {
        // The bytes Troupe sends for the same event (its wire message), so that both clients decode the same.
        const bytes = encodeCbor({ type: "event", name: "tick", args: [{ seq, sentAt: wallClock() } satisfies Tick] });
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
    floor.close();
    dir[Symbol.dispose]();
  },
);
