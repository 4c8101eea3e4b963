// The Node client's WebSocket (ws on Node 20) writes the frames of one tick in one write: the
// network socket is corked while the tick sends and uncorked once, and every frame arrives.

import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { nodeWebSocket } from "../../src/client/node-websocket.ts";
import { until } from "../support/until.ts";

let server: WebSocketServer | undefined;
afterEach(async () => {
  for (const client of server?.clients ?? []) client.terminate();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

it("sends the frames of one tick in one write, and delivers all of them", async () => {
  server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  const received: string[] = [];
  server.on("connection", (socket) => socket.on("message", (data) => received.push(String(data))));
  const WebSocket = nodeWebSocket();
  const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await new Promise((resolve) => ws.addEventListener("open", resolve));
  const stream = (ws as unknown as { _socket: import("node:net").Socket })._socket;
  let writes = 0;
  const write = stream._write.bind(stream);
  const writev = stream._writev?.bind(stream);
  stream._write = (...args) => {
    writes++;
    write(...args);
  };
  if (writev)
    stream._writev = (...args) => {
      writes++;
      writev(...args);
    };

  for (let i = 0; i < 50; i++) ws.send(`m${i}`);
  expect(stream.writableCorked).toBe(1);
  expect(writes).toBe(0);
  await new Promise((resolve) => process.nextTick(resolve));
  expect(stream.writableCorked).toBe(0);
  expect(writes).toBe(1);

  await until("every frame received", () => received.length === 50, { detail: () => `${received.length} received` });
  expect(received).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  ws.close();
});
