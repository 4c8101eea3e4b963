// Every way into an actor, over HTTP and WebSocket in both encodings, refused by its guard (docs/auth.md):
// the caller gets a typed refusal, and the refusal has no side effect: nothing is stored, no actor
// is created, and no hook runs besides the guard that said no.

import { createClient } from "troupe";
import { afterEach, describe, expect, test } from "vitest";
import { WebSocket } from "ws";
import { Peer } from "../transport/ws-peer.ts";
import { actorId, connectUrl, type Encoding, ENCODINGS, hookLog, post, serve, type Served } from "./actors.ts";

const forbidden = { group: "auth", code: "forbidden" };
const KEY = ["matrix"];

interface Route {
  name: string;
  /** Makes the refused request, checks the refusal the caller gets, and returns the hooks that ran. */
  deny(served: Served, id: string, encoding: Encoding): Promise<string[]>;
  /** The hooks that ran: the guard alone (once per refused request). */
  hooks: string[];
}

const resolveRoute = (kind: string): Route => ({
  name: `POST /actors (${kind})`,
  hooks: [`onBeforeCreate:${kind}`],
  async deny(served, _id, encoding) {
    const reply = await post(
      `${served.url}/actors`,
      { value: { query: { kind, name: "vault", key: ["new", kind], input: { secret: "x" } } } },
      encoding,
    );
    expect(reply).toMatchObject({ status: 403, body: forbidden });
    return [...hookLog];
  },
});

const routes: Route[] = [
  resolveRoute("get"),
  resolveRoute("getOrCreate"),
  resolveRoute("create"),
  {
    name: "POST /actors/{name}/{id}/actions/{action}",
    hooks: ["onBeforeConnect"],
    async deny(served, id, encoding) {
      const reply = await post(`${served.url}/actors/vault/${id}/actions/read`, { value: { args: [] } }, encoding);
      expect(reply).toMatchObject({ status: 403, body: forbidden });
      return [...hookLog];
    },
  },
  {
    name: "POST /actors/{name}/{id}/queue/{queue}",
    hooks: ["onBeforeConnect"],
    async deny(served, id, encoding) {
      const reply = await post(`${served.url}/actors/vault/${id}/queue/inbox`, { value: { body: "smuggled" } }, encoding);
      expect(reply).toMatchObject({ status: 403, body: forbidden });
      return [...hookLog];
    },
  },
  {
    name: "ANY /actors/{name}/{id}/request/*",
    hooks: ["onBeforeConnect", "onBeforeConnect", "onBeforeConnect"],
    async deny(served, id) {
      for (const method of ["GET", "POST", "DELETE"]) {
        const response = await fetch(`${served.url}/actors/vault/${id}/request/anything`, {
          method,
          body: method === "POST" ? "x" : undefined,
        });
        expect(response.status).toBe(403);
        expect(await response.json()).toMatchObject(forbidden);
      }
      return [...hookLog];
    },
  },
  {
    name: "WS /actors/{name}/{id}/connect",
    hooks: ["onBeforeConnect"],
    async deny(served, id, encoding) {
      const peer = new Peer(connectUrl(served, "vault", id), encoding);
      expect(await peer.next()).toMatchObject({ type: "error", ...forbidden });
      expect(await peer.closed).toEqual({ code: 1008, reason: "auth.forbidden" });
      return [...hookLog];
    },
  },
  {
    name: "WS /actors/{name}/{id}/websocket/*",
    hooks: ["onBeforeConnect"],
    async deny(served, id) {
      const socket = new WebSocket(`${served.url.replace("http", "ws")}/actors/vault/${id}/websocket/raw`, ["troupe.v1"]);
      const messages: unknown[] = [];
      socket.on("message", (data) => messages.push(String(data)));
      const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
        socket.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
      );
      expect(closed).toEqual({ code: 1008, reason: "auth.forbidden" });
      expect(messages).toEqual([]);
      return [...hookLog];
    },
  },
  {
    name: "WS subscribe to an event with canSubscribe",
    hooks: ["canSubscribe"],
    async deny(served, id, encoding) {
      // The connection itself is allowed (a bearer token); its params do not allow the event.
      const peer = new Peer(connectUrl(served, "vault", id), encoding, [`troupe.token.${Buffer.from('"ok"').toString("base64url")}`]);
      expect(await peer.next()).toMatchObject({ type: "init" });
      hookLog.length = 0;
      peer.send({ type: "subscribe", event: "secret", subscribe: true });
      expect(await peer.next()).toMatchObject({ type: "error", ...forbidden });
      const hooks = [...hookLog];
      // An event broadcast afterwards does not reach it: the next message is the reply to a later call.
      await createClient(served.registry)
        .vault.getOrCreate(KEY, { params: { token: "ok" } })
        .announce();
      peer.send({ type: "action", id: 1, name: "calls", args: [] });
      expect(await peer.next()).toMatchObject({ type: "result", id: 1 });
      peer.close();
      await peer.closed;
      return hooks;
    },
  },
];

afterEach(() => {
  hookLog.length = 0;
});

describe.each(ENCODINGS)("auth matrix (%s)", (encoding) => {
  test.each(routes.map((route) => [route.name, route] as const))("%s: refused, with no side effect", async (_name, route) => {
    await using served = await serve();
    const id = await actorId(served, "vault", KEY, { authorization: "Bearer ok" });
    const owner = createClient(served.registry).vault.getOrCreate(KEY, { params: { token: "ok" } });
    const before = await owner.calls();
    hookLog.length = 0;

    const hooks = await route.deny(served, id, encoding);

    expect(hooks).toEqual(route.hooks);
    const driver = served.registry.runtime().host.driver;
    for (const kind of ["get", "getOrCreate", "create"]) expect(await driver.getActorByKey("vault", ["new", kind])).toBeUndefined();
    expect(await owner.calls()).toBe(before);
    expect(await owner.queued()).toBeNull();
  });
});
