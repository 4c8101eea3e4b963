// Item 5 of RivetKit compatibility, in-process: the in-process client behaves as the network one.
// Each check runs on all three targets with the same expectations: message size limits, a real
// `c.request` in every hook that has one, `handle.webSocket()` (a socket pair in-process), and the
// order of onStateChange against the events and replies a client sees.

import { actor } from "troupe";
import { describe, expect, test } from "vitest";
import { until } from "../support/until.ts";
import { open, type Target, TARGETS } from "./harness.ts";

/** What a hook saw of `c.request`: whether it was a Request, its method, path and two headers. */
type Seen = { isRequest: boolean; method?: string; path?: string; upgrade?: string | null; tag?: string | null };
function seen(request: Request | undefined, path = true): Seen {
  if (!(request instanceof Request)) return { isRequest: false };
  const url = new URL(request.url);
  return {
    isRequest: true,
    method: request.method,
    ...(path ? { path: `${url.pathname}${url.search}` } : {}),
    upgrade: request.headers.get("upgrade"),
    tag: request.headers.get("x-tag"),
  };
}

const store = actor({
  state: { items: [] as string[], requests: {} as Record<string, Seen> },
  onBeforeConnect: (c) => {
    // The path of a connection or call differs by transport (route, or /actors for a first call).
    c.state.requests.onBeforeConnect = seen(c.request, false);
  },
  createConnState: (c) => {
    c.state.requests.createConnState = seen(c.request, false);
    return {};
  },
  onRequest: (c, request) => {
    c.state.requests.onRequest = seen(c.request);
    return Response.json({ same: c.request === request });
  },
  onWebSocket: (c, socket) => {
    c.state.requests.onWebSocket = seen(c.request);
    socket.addEventListener("message", (event) => {
      // Echoes text upper-cased and bytes reversed; "close" closes from the actor's side.
      if (event.data === "close") socket.close(4000, "asked to");
      else if (typeof event.data === "string") socket.send(event.data.toUpperCase());
      else socket.send(new Uint8Array(event.data as ArrayBuffer).reverse());
    });
    socket.addEventListener("close", (event) => {
      c.state.items.push(`closed:${event.code}:${event.reason}`);
    });
  },
  actions: {
    add: (c, item: string) => {
      c.state.items.push(item);
      return c.state.items.length;
    },
    items: (c) => c.state.items,
    requests: (c) => c.state.requests,
    seenByAction: (c) => seen(c.request, false),
  },
});

describe.each(TARGETS)("the in-process client behaves as the network one (%s)", (target) => {
  test("an argument or queue message over maxIncomingMessageSize is refused with message.incoming_too_long and changes nothing", async () => {
    await using app = await open(target, { store, order }, { maxIncomingMessageSize: 2_048 });
    const handle = app.client.store.getOrCreate("big");
    expect(await handle.add("small")).toBe(1);
    const big = "x".repeat(10_000);
    await expect(handle.add(big)).rejects.toMatchObject({ group: "message", code: "incoming_too_long" });
    await expect(handle.send("jobs", big)).rejects.toMatchObject({ group: "message", code: "incoming_too_long" });
    const conn = handle.connect();
    await expect(conn.add(big)).rejects.toMatchObject({ group: "message", code: "incoming_too_long" });
    await conn.dispose();
    expect(await handle.items()).toEqual(["small"]);
  });

  test("c.request is a Request in onBeforeConnect, createConnState, actions, onRequest and onWebSocket", async () => {
    await using app = await open(target, { store, order });
    const handle = app.client.store.getOrCreate("req");
    const call = { isRequest: true, method: "POST", upgrade: null, tag: null };
    expect(await handle.seenByAction()).toEqual(call);
    expect(await handle.requests()).toMatchObject({ onBeforeConnect: call, createConnState: call });
    const conn = handle.connect();
    const upgrade = { isRequest: true, method: "GET", upgrade: "websocket", tag: null };
    expect(await conn.seenByAction()).toEqual(upgrade);
    expect(await conn.requests()).toMatchObject({ onBeforeConnect: upgrade, createConnState: upgrade });
    await conn.dispose();
    const response = await handle.fetch("/page?x=1", { headers: { "x-tag": "t" } });
    expect(await response.json()).toEqual({ same: true });
    const socket = await handle.webSocket("/live?y=2");
    await until("the socket is open", () => socket.readyState === socket.OPEN);
    socket.close();
    expect(await handle.requests()).toMatchObject({
      onRequest: { isRequest: true, method: "GET", path: "/page?x=1", upgrade: null, tag: "t" },
      onWebSocket: { isRequest: true, method: "GET", path: "/live?y=2", upgrade: "websocket" },
    });
  });

  test("handle.webSocket() carries text and binary both ways, and a close from either side", async () => {
    await using app = await open(target, { store, order });
    const handle = app.client.store.getOrCreate("ws");
    const socket = await handle.webSocket("/", ["chat"]);
    socket.binaryType = "arraybuffer";
    const received: unknown[] = [];
    socket.addEventListener("message", (event) => {
      received.push(typeof event.data === "string" ? event.data : [...new Uint8Array(event.data as ArrayBuffer)]);
    });
    const closed = new Promise<[number, string]>((resolve) => socket.addEventListener("close", (e) => resolve([e.code, e.reason])));
    await new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }));
    expect(socket.protocol).toBe("chat");
    socket.send("hello");
    socket.send(new Uint8Array([1, 2, 3]));
    socket.send(new Blob([new Uint8Array([4, 5])]));
    await until("three replies", () => received.length === 3);
    expect(received).toEqual(["HELLO", [3, 2, 1], [5, 4]]);
    socket.send("close");
    expect(await closed).toEqual([4000, "asked to"]);
    expect(socket.readyState).toBe(socket.CLOSED);
    await until("the actor saw the close", async () => (await handle.items()).length === 1);

    const second = await handle.webSocket();
    await new Promise((resolve) => second.addEventListener("open", resolve, { once: true }));
    second.close(4001, "bye");
    await until("the actor saw the client's close", async () => (await handle.items()).length === 2);
    expect(await handle.items()).toEqual(["closed:4000:asked to", "closed:4001:bye"]);
  });
});

/** Records, in one list, what the actor's hooks did and what the client saw, in the order they happened. */
const timeline: string[] = [];
const order = actor({
  state: { n: 0 },
  onStateChange: (_c, state) => {
    timeline.push(`onStateChange:${state.n}`);
  },
  actions: {
    bump: (c) => {
      timeline.push("action");
      c.state.n++;
      c.broadcast("bumped", c.state.n);
      timeline.push("action returns");
      return c.state.n;
    },
    read: (c) => c.state.n,
  },
});

async function runTimeline(target: Target): Promise<string[]> {
  timeline.length = 0;
  await using app = await open(target, { store, order });
  const conn = app.client.order.getOrCreate(`t-${target}`).connect();
  conn.on("bumped", (n) => timeline.push(`event:${String(n)}`));
  expect(await conn.read()).toBe(0); // connected and subscribed
  for (let i = 1; i <= 2; i++) timeline.push(`reply:${await conn.bump()}`);
  await until("the last event", () => timeline.includes("event:2"));
  await conn.dispose();
  // A stateless call: its reply and another connection's event would race on two sockets.
  timeline.push(`stateless reply:${await app.client.order.getOrCreate(`t-${target}`).bump()}`);
  return [...timeline];
}

test("onStateChange runs in the same order against events and replies in-process as over the network", async () => {
  const orders = new Map<Target, string[]>();
  for (const target of TARGETS) orders.set(target, await runTimeline(target));
  const expected = [
    "action",
    "action returns",
    "onStateChange:1",
    "event:1",
    "reply:1",
    "action",
    "action returns",
    "onStateChange:2",
    "event:2",
    "reply:2",
    "action",
    "action returns",
    "onStateChange:3",
    "stateless reply:3",
  ];
  expect(Object.fromEntries(orders)).toEqual({ json: expected, cbor: expected, "in-process": expected });
});
