// Raw handlers: `onRequest` through handle.fetch and `onWebSocket` through handle.webSocket.

import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { expect, test } from "vitest";
import { until } from "../support/until.ts";
import { serveActors } from "./fixtures.ts";

test("handle.fetch reaches onRequest with the path, query, method, headers and body", async () => {
  await using served = await serveActors();
  const handle = served.client().raw.getOrCreate(["r"]);
  const get = await handle.fetch("/api/hello?x=1", { headers: { "x-test": "yes" } });
  expect(get.status).toBe(200);
  expect(await get.json()).toEqual({ method: "GET", path: "/api/hello", search: "?x=1", body: "", header: "yes", requests: 1 });
  const post = await handle.fetch("echo", { method: "POST", body: "payload" });
  expect(await post.json()).toMatchObject({ method: "POST", path: "/echo", body: "payload", requests: 2 });
  // State written by onRequest is durable before the response is sent.
  expect(await handle.requests()).toBe(2);

  const broken = await handle.fetch("/void");
  expect(broken.status).toBe(500);
  expect(await broken.json()).toMatchObject({ group: "actor", code: "internal_error" });
  const none = await served.client().noHandlers.getOrCreate().fetch("/x");
  expect(none.status).toBe(404);
  expect(await none.json()).toMatchObject({ group: "actor", code: "handler_not_found" });
});

test("handle.webSocket reaches onWebSocket; the socket is a connection until it closes", async () => {
  await using served = await serveActors();
  const handle = served.client().raw.getOrCreate(["ws"]);
  const socket = await handle.webSocket("/chat/room", "my-protocol");
  const messages: string[] = [];
  socket.addEventListener("message", (event) => messages.push(String(event.data)));
  await new Promise((resolve) => socket.addEventListener("open", resolve));
  expect(socket.protocol).toBe("my-protocol");
  await until("the welcome message", () => messages.length === 1);
  expect(JSON.parse(messages[0]!)).toMatchObject({ path: "/chat/room", conns: 1 });
  socket.send("hi");
  await until("the echo", () => messages.length === 2);
  expect(messages[1]).toBe("echo:hi");
  const bytes: number[][] = [];
  socket.binaryType = "arraybuffer";
  socket.addEventListener("message", (event) => {
    if (event.data instanceof ArrayBuffer) bytes.push([...new Uint8Array(event.data)]);
  });
  socket.send(new Uint8Array([1, 2, 3]));
  await until("the binary echo", () => messages.length === 3);
  expect(bytes).toEqual([[3, 2, 1]]);
  const closed = new Promise((resolve) => socket.addEventListener("close", resolve));
  socket.close();
  await closed;

  const refused = await served.client().noHandlers.getOrCreate().webSocket();
  const event = await new Promise<CloseEvent>((resolve) => refused.addEventListener("close", (e) => resolve(e as CloseEvent)));
  expect(event.reason).toBe("actor.handler_not_found");
});

test("messages sent before an async onWebSocket attached its listeners are held; stopping the actor closes the socket", async () => {
  await using served = await serveActors();
  const handle = served.client().rawLate.getOrCreate();
  const socket = await handle.webSocket();
  const messages: string[] = [];
  socket.addEventListener("message", (event) => messages.push(String(event.data)));
  const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener("close", (e) => resolve(e as CloseEvent)));
  await new Promise((resolve) => socket.addEventListener("open", resolve));
  socket.send("early");
  await until("the reply to the early message", () => messages.length === 1);
  expect(messages).toEqual(["late:early"]);
  await handle.stop();
  const event = await closed;
  expect([event.code, event.reason]).toEqual([1001, "actor.stopping"]);
});

test("in-process clients reach onRequest and onWebSocket too; a socket the actor cannot take closes as over the network", async () => {
  const registry = setup({
    use: { echo: actor({ onRequest: (_c, request) => new Response(new URL(request.url).pathname), actions: {} }) },
  });
  const t = setupTest(registry);
  const handle = t.client.echo.getOrCreate();
  expect(await (await handle.fetch("/a/b")).text()).toBe("/a/b");
  const socket = await handle.webSocket();
  const closed = await new Promise<CloseEvent>((resolve) => socket.addEventListener("close", resolve));
  expect([closed.code, closed.reason]).toEqual([1008, "actor.handler_not_found"]);
});
