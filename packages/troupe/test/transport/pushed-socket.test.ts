// The ServerSocket of runtimes that push frames (Deno, Bun, Hono's helper): frames and the end of
// the connection are held while paused and delivered in order, blobs included.

import { expect, test } from "vitest";
import { PushedSocket, type SendingSide } from "../../src/server/pushed-socket.ts";
import { until } from "../support/until.ts";

function side(): SendingSide & { sent: Array<string | Uint8Array>; closed: Array<[number | undefined, string | undefined]> } {
  const sent: Array<string | Uint8Array> = [];
  const closed: Array<[number | undefined, string | undefined]> = [];
  return {
    protocol: "troupe.v1",
    isOpen: true,
    bufferedAmount: 0,
    sent,
    closed,
    send: (data) => sent.push(data),
    close: (code, reason) => closed.push([code, reason]),
  };
}

test("holds frames and the close while paused, then delivers them in order", () => {
  const socket = new PushedSocket(side());
  const got: unknown[] = [];
  socket.onMessage((data) => got.push(typeof data === "string" ? data : [...data]));
  socket.onClose((code, reason) => got.push(`closed ${code} ${reason}`));
  socket.received("a");
  socket.pause();
  socket.received(new Uint8Array([1, 2, 3]).subarray(1));
  socket.received(new Uint8Array([4]).buffer);
  socket.ended(1000, "bye");
  expect(got).toEqual(["a"]);
  socket.resume();
  expect(got).toEqual(["a", [2, 3], [4], "closed 1000 bye"]);
  expect(socket.isOpen).toBe(false);
});

test("a blob keeps its place among the frames around it", async () => {
  const socket = new PushedSocket(side());
  const got: unknown[] = [];
  socket.onMessage((data) => got.push(typeof data === "string" ? data : [...data]));
  socket.onClose(() => got.push("closed"));
  socket.received(new Blob([new Uint8Array([9])]));
  socket.received("after");
  socket.ended(1000, "");
  await until("every frame", () => got.length === 3);
  expect(got).toEqual([[9], "after", "closed"]);
});

test("sends nothing once the runtime says the connection ended", () => {
  const sending = side();
  const socket = new PushedSocket(sending);
  socket.send("one");
  socket.ended(1006, "");
  socket.send("two");
  socket.close(1000, "late");
  expect(sending.sent).toEqual(["one"]);
  expect(sending.closed).toEqual([]);
});
