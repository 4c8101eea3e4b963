// Item 4 of RivetKit compatibility: handles. getGatewayUrl(), fetch(Request), key-based handles
// following their key after a destroy for fetch and webSocket too, `await handle.destroy()`
// resolving once the actor is gone, and action proxies that are plain functions.

import { actor } from "troupe";
import { describe, expect, test } from "vitest";
import { NETWORK_TARGETS, open, TARGETS } from "./harness.ts";

const page = actor({
  state: { requests: 0 },
  onRequest: async (c, request) => {
    c.state.requests++;
    const url = new URL(request.url);
    const body = request.method === "GET" ? "" : await request.text();
    return Response.json({
      path: url.pathname,
      search: url.search,
      method: request.method,
      body,
      tag: request.headers.get("x-tag"),
      n: c.state.requests,
    });
  },
  onWebSocket: (c, socket) => {
    socket.send(JSON.stringify({ requests: c.state.requests, actorId: c.actorId }));
  },
  actions: {
    increment: (c, by: number) => (c.state.requests += by),
    math: { add: (_c, a: number, b: number) => a + b },
    destroy: (c) => c.destroy(),
    ping: () => "pong",
  },
});

function firstMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve, reject) => {
    socket.addEventListener("message", (event) => resolve(JSON.parse(String(event.data))), { once: true });
    socket.addEventListener("error", () => reject(new Error("socket error")), { once: true });
  });
}

describe.each(TARGETS)("handles (%s)", (target) => {
  test("fetch takes a path, a URL or a Request; init overrides the Request's headers", async () => {
    await using app = await open(target, { page });
    const handle = app.client.page.getOrCreate("p");
    expect(await (await handle.fetch("a/b?x=1")).json()).toMatchObject({ path: "/a/b", search: "?x=1", method: "GET", n: 1 });
    expect(await (await handle.fetch(new URL("http://ignored/c?y=2"))).json()).toMatchObject({ path: "/c", search: "?y=2" });
    const request = new Request("http://ignored/post?z=3", { method: "POST", body: "hello", headers: { "x-tag": "from-request" } });
    expect(await (await handle.fetch(request)).json()).toMatchObject({
      path: "/post",
      search: "?z=3",
      method: "POST",
      body: "hello",
      tag: "from-request",
    });
    const again = new Request("http://ignored/post", { method: "POST", body: "b", headers: { "x-tag": "from-request" } });
    expect(await (await handle.fetch(again, { headers: { "x-tag": "from-init" } })).json()).toMatchObject({ tag: "from-init" });
  });

  test("await handle.destroy() resolves once the actor is gone; the key-based handle then follows its key, fetch included", async () => {
    await using app = await open(target, { page });
    const handle = app.client.page.getOrCreate("d");
    expect(await (await handle.fetch("/")).json()).toMatchObject({ n: 1 });
    const oldId = await handle.resolve();
    await handle.destroy();
    // Gone already: no polling.
    await expect(app.client.page.getForId(oldId).ping()).rejects.toMatchObject({ group: "actor", code: "not_found" });
    expect(await (await handle.fetch("/")).json()).toMatchObject({ n: 1 }); // a fresh actor
    expect(await handle.resolve()).not.toBe(oldId);
    await expect(app.client.page.getForId(oldId).fetch("/")).rejects.toMatchObject({ code: "not_found" });
  });

  test("action proxies are plain functions: bind, call and apply", async () => {
    await using app = await open(target, { page });
    const handle = app.client.page.getOrCreate("f");
    const increment = handle.increment;
    expect(await increment.call(undefined, 1)).toBe(1);
    expect(await increment.apply(undefined, [2])).toBe(3);
    expect(await increment.bind(undefined, 3)()).toBe(6);
    expect(await handle.math.add.call(undefined, 2, 5)).toBe(7);
    expect(typeof increment).toBe("function");
  });
});

describe.each(NETWORK_TARGETS)("handles over the network (%s)", (target) => {
  test("getGatewayUrl() is where the actor's routes are: <url>/request/<path> reaches onRequest", async () => {
    await using app = await open(target, { page });
    const handle = app.client.page.getOrCreate("g");
    const url = await handle.getGatewayUrl();
    expect(url.startsWith(app.url!)).toBe(true);
    expect(await (await fetch(`${url}/request/hello?q=1`)).json()).toMatchObject({ path: "/hello", search: "?q=1" });
  });

  test("webSocket() on a key-based handle follows its key after a destroy", async () => {
    await using app = await open(target, { page });
    const handle = app.client.page.getOrCreate("w");
    const first = await handle.webSocket();
    const before = (await firstMessage(first)) as { actorId: string };
    first.close();
    await handle.destroy();
    const second = await handle.webSocket();
    const after = (await firstMessage(second)) as { actorId: string };
    second.close();
    expect(after.actorId).not.toBe(before.actorId);
  });
});

test("in-process, getGatewayUrl() says it needs a server", async () => {
  await using app = await open("in-process", { page });
  await expect(app.client.page.getOrCreate("x").getGatewayUrl()).rejects.toMatchObject({ group: "feature", code: "unsupported" });
});
