// The web-standard WebSocket that onWebSocket receives, driven through a hand-made ServerSocket:
// what any runtime adapter provides is all it relies on.

import { expect, test } from "vitest";
import { RawWebSocket } from "../../src/server/raw-web-socket.ts";
import type { ServerSocket } from "../../src/server/socket.ts";

class HandSocket implements ServerSocket {
  protocol = "chat";
  isOpen = true;
  bufferedAmount = 0;
  readonly sent: Array<string | number[]> = [];
  closedWith: [number | undefined, string | undefined] | undefined;
  #message: ((data: string | Uint8Array<ArrayBuffer>) => void) | undefined;
  #close: ((code: number, reason: string) => void) | undefined;

  send(data: string | Uint8Array): void {
    this.sent.push(typeof data === "string" ? data : [...data]);
  }
  close(code?: number, reason?: string): void {
    this.isOpen = false;
    this.closedWith = [code, reason];
  }
  onMessage(listener: (data: string | Uint8Array<ArrayBuffer>) => void): void {
    this.#message = listener;
  }
  onClose(listener: (code: number, reason: string) => void): void {
    this.#close = listener;
  }
  pause(): void {}
  resume(): void {}

  receive(data: string | Uint8Array<ArrayBuffer>): void {
    this.#message?.(data);
  }
  end(code: number, reason: string): void {
    this.isOpen = false;
    this.#close?.(code, reason);
  }
}

function open() {
  const socket = new HandSocket();
  // Typed as actor code sees it.
  const ws: WebSocket = new RawWebSocket(socket, "https://example.test/actors/chat/a1/websocket/room?x=1");
  return { socket, ws };
}

test("frames arrive as message events: text as a string, binary as an ArrayBuffer of exactly its bytes, or a Blob", async () => {
  const { socket, ws } = open();
  const received: unknown[] = [];
  ws.addEventListener("message", (event) => received.push(event.data));
  socket.receive("hi");
  socket.receive(new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4));
  ws.binaryType = "blob";
  socket.receive(new Uint8Array([4, 5]));
  expect(received[0]).toBe("hi");
  expect(received[1]).toBeInstanceOf(ArrayBuffer);
  expect([...new Uint8Array(received[1] as ArrayBuffer)]).toEqual([1, 2, 3]);
  expect(received[2]).toBeInstanceOf(Blob);
  expect([...new Uint8Array(await (received[2] as Blob).arrayBuffer())]).toEqual([4, 5]);
  expect([ws.url, ws.protocol, ws.extensions]).toEqual(["wss://example.test/actors/chat/a1/websocket/room?x=1", "chat", ""]);
});

test("an on-handler is one listener at the place it was first set; replacing keeps the place, null silences it", () => {
  const { socket, ws } = open();
  const calls: string[] = [];
  ws.onmessage = () => calls.push("first handler");
  ws.addEventListener("message", () => calls.push("listener"));
  ws.onmessage = function (event) {
    calls.push(`second handler, this is the socket: ${this === ws}, data: ${String(event.data)}`);
  };
  socket.receive("a");
  ws.onmessage = null;
  socket.receive("b");
  expect(calls).toEqual(["second handler, this is the socket: true, data: a", "listener", "listener"]);
  expect(ws.onmessage).toBeNull();
});

test("send takes strings, ArrayBuffers, views (their range only) and Blobs, and keeps their order", async () => {
  const { socket, ws } = open();
  ws.send("text");
  ws.send(new Uint8Array([1, 2]).buffer);
  ws.send(new Uint8Array([7, 3, 4, 7]).subarray(1, 3));
  ws.send(new Blob([new Uint8Array([5, 6])]));
  ws.send("after the blob");
  expect(socket.sent).toEqual(["text", [1, 2], [3, 4]]);
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(socket.sent).toEqual(["text", [1, 2], [3, 4], [5, 6], "after the blob"]);
  ws.send("later");
  expect(socket.sent.at(-1)).toBe("later");
});

test("readyState goes OPEN, CLOSING, CLOSED; the close event carries code, reason and wasClean", () => {
  const { socket, ws } = open();
  const events: Array<[number, string, boolean]> = [];
  ws.onclose = (event) => events.push([event.code, event.reason, event.wasClean]);
  expect(ws.readyState).toBe(ws.OPEN);
  ws.close(1000, "bye");
  expect(socket.closedWith).toEqual([1000, "bye"]);
  expect(ws.readyState).toBe(ws.CLOSING);
  socket.end(1000, "bye");
  expect(ws.readyState).toBe(ws.CLOSED);

  const lost = open();
  lost.ws.addEventListener("close", (event) => events.push([event.code, event.reason, event.wasClean]));
  lost.socket.end(1006, "");
  expect(lost.ws.readyState).toBe(lost.ws.CLOSED);
  expect(events).toEqual([
    [1000, "bye", true],
    [1006, "", false],
  ]);
});
