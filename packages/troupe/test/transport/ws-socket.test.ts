// The `ws` adapter writes data frames itself, framed once and batched per tick: a real `ws` client
// must get every frame whole and in order, at every length encoding, and before the close frame.
// Frames read are handed on as views of the socket's buffers: what is decoded must not share them.

import type { AddressInfo } from "node:net";
import { expect, test } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { encodeCbor } from "../../src/base/cbor.ts";
import { decodeUnchecked } from "../../src/protocol/codec.ts";
import { WsSocket } from "../../src/server/node/ws-socket.ts";

/** A server whose first accepted socket is a WsSocket, and a client connected to it. */
async function pair() {
  let raw: import("ws").WebSocket | undefined;
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => wss.once("listening", resolve));
  const accepted = new Promise<WsSocket>((resolve) =>
    wss.once("connection", (ws) => {
      raw = ws;
      resolve(new WsSocket(ws));
    }),
  );
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const received: Array<string | number[]> = [];
  client.on("message", (data: Buffer, isBinary) => received.push(isBinary ? [...data] : data.toString("utf8")));
  const closed = new Promise<number>((resolve) => client.once("close", (code) => resolve(code)));
  const server = await accepted;
  return {
    server,
    /** The `ws` socket under the adapter, as a server shutting down closes it. */
    raw: raw!,
    received,
    closed,
    async [Symbol.asyncDispose]() {
      client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

test("frames of every length encoding, text and binary, arrive whole and in order, then the close", async () => {
  await using p = await pair();
  const sent: Array<string | number[]> = [];
  // 0 to 125 bytes: 7-bit length; 126 to 65,535: 16-bit; beyond: 64-bit. More than one batch's worth.
  for (const length of [0, 1, 125, 126, 1_000, 65_535, 65_536, 70_000]) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 7 + length) % 256);
    p.server.send(bytes);
    sent.push([...bytes]);
    const text = "é".repeat(Math.floor(length / 2));
    p.server.send(text);
    sent.push(text);
  }
  for (let i = 0; i < 200; i++) {
    p.server.send(`#${i}`);
    sent.push(`#${i}`);
  }
  p.server.close(4000, "done");
  expect(await p.closed).toBe(4000);
  expect(p.received).toEqual(sent);
});

test("the same array sent again after a change is sent with its new bytes", async () => {
  await using p = await pair();
  const bytes = new Uint8Array([1, 2, 3]);
  p.server.send(bytes);
  p.server.send(bytes);
  bytes[0] = 9;
  p.server.send(bytes);
  p.server.close(1000);
  await p.closed;
  expect(p.received).toEqual([
    [1, 2, 3],
    [1, 2, 3],
    [9, 2, 3],
  ]);
});

test("replies sent in the tick that a shutdown closes the `ws` socket itself still go out, before the close", async () => {
  await using p = await pair();
  p.server.send("reply 1");
  p.server.send("reply 2");
  p.raw.close(1001, "server shutting down");
  expect(await p.closed).toBe(1001);
  expect(p.received).toEqual(["reply 1", "reply 2"]);
});

test("nothing is sent once the socket is closing", async () => {
  await using p = await pair();
  p.server.send("before");
  p.server.close(1000);
  p.server.send("after");
  await p.closed;
  expect(p.received).toEqual(["before"]);
});

test("a value decoded from a view of a socket's buffer keeps none of it", () => {
  const frame = encodeCbor({ type: "event", name: "e", args: [new Uint8Array([1, 2, 3])] });
  const buffer = Buffer.concat([Buffer.from([9, 9]), Buffer.from(frame)]);
  const view = new Uint8Array(buffer.buffer, buffer.byteOffset + 2, frame.byteLength);
  const bytes = (decodeUnchecked(view, "cbor") as { args: [Uint8Array] }).args[0];
  buffer.fill(0);
  expect(bytes).toEqual(new Uint8Array([1, 2, 3]));
  expect(Buffer.isBuffer(bytes)).toBe(false);
});
