// The typed network client against a real server: handles, connections, events, reconnects.

import { ActorError, type ConnStatus } from "troupe/client";
import { describe, expect, test } from "vitest";
import { until } from "../support/until.ts";
import { serveActors } from "../transport/fixtures.ts";

describe.each(["json", "cbor"] as const)("remote client (%s)", (encoding) => {
  test("handles and action proxies: get, getOrCreate with input, create, getForId, nested actions, typed errors", async () => {
    await using served = await serveActors();
    const client = served.client({ encoding });
    await expect(client.counter.get(["none"]).getCount()).rejects.toMatchObject({ group: "actor", code: "not_found" });
    const handle = client.counter.getOrCreate(["a", "b/c"]);
    expect(await handle.increment(2)).toBe(2);
    expect(await handle.math.add(2, 3)).toBe(5);
    expect(await handle.getKey()).toEqual(["a", "b/c"]);
    expect(await handle.action({ name: "getCount" })).toBe(2);
    expect(await client.withInput.getOrCreate("x", { createWithInput: { start: 4 } }).value()).toBe(4);
    const created = await client.withInput.create("y", { input: { start: 9 } });
    expect(await created.value()).toBe(9);
    await expect(client.withInput.create("y")).rejects.toMatchObject({ code: "duplicate_key" });
    const byId = client.counter.getForId(await handle.resolve());
    expect(await byId.getCount()).toBe(2);

    const error = await handle.fail().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActorError);
    expect(error).toMatchObject({ group: "user", code: "bad_thing", message: "nope", metadata: { why: "test" } });
    await expect(handle.crash()).rejects.toMatchObject({ code: "internal_error", message: "An internal error occurred" });
    // @ts-expect-error an unknown name is refused by the types too; the server answers with an error.
    await expect(handle.action({ name: "missing" })).rejects.toMatchObject({ code: "action_not_found" });
    if (encoding === "cbor") {
      const value = { when: new Date(5), tags: new Set(["a"]), map: new Map([["k", 1n]]), bytes: new Uint8Array([1, 2]) };
      expect(await handle.echo(value)).toEqual(value);
    }
  });

  test("queue sends from a handle and from a connection", async () => {
    await using served = await serveActors();
    const client = served.client({ encoding });
    const handle = client.inbox.getOrCreate(["q"]);
    await handle.queue.jobs.send({ n: 1 });
    expect(await handle.take()).toEqual({ n: 1 });
    const conn = handle.connect();
    const waiting = conn.queue.jobs.send({ n: 5 }, { wait: true, timeout: 5_000 });
    expect(await handle.completeNext()).toBe(true);
    expect(await waiting).toEqual({ status: "completed", response: { doubled: 10 } });
    await expect(client.inbox.getOrCreate(["q"], { params: { deny: true } }).send("jobs", { n: 2 })).rejects.toMatchObject({
      group: "auth",
      code: "forbidden",
    });
  });

  test("connections: calls queued before open, events, once, status changes, dispose", async () => {
    await using served = await serveActors();
    const client = served.client({ encoding });
    const conn = client.counter.getOrCreate(["conn"]).connect();
    const statuses: ConnStatus[] = [];
    conn.onStatusChange((s) => statuses.push(s));
    const seen: unknown[] = [];
    const onceSeen: unknown[] = [];
    conn.on("changed", (n) => seen.push(n));
    conn.once("changed", (n) => onceSeen.push(n));
    let opened = 0;
    conn.onOpen(() => opened++);
    expect(conn.connStatus).toBe("connecting");
    // Made before the socket is open: queued, then sent in order once it is.
    const results = await Promise.all([conn.increment(1), conn.increment(2), conn.increment(3)]);
    expect(results).toEqual([1, 3, 6]);
    expect(seen).toEqual([1, 3, 6]);
    expect(onceSeen).toEqual([1]);
    expect(conn.connStatus).toBe("connected");
    expect(opened).toBe(1);
    expect(conn.actorId).toBe(await client.counter.getOrCreate(["conn"]).resolve());
    expect(typeof conn.connId).toBe("string");

    const closes: string[] = [];
    conn.onClose((reason) => closes.push(reason));
    await conn.dispose();
    expect(conn.connStatus).toBe("idle");
    expect(statuses).toEqual(["connected", "idle"]);
    expect(closes).toEqual(["disposed"]);
    await expect(conn.getCount()).rejects.toMatchObject({ group: "client", code: "disposed" });
  });

  test("many clients on one actor receive every broadcast, in order", async () => {
    await using served = await serveActors();
    const clients = Array.from({ length: 5 }, () => served.client({ encoding }));
    const conns = clients.map((c) => c.counter.getOrCreate(["room"]).connect());
    const seen = conns.map(() => [] as unknown[]);
    for (const [i, conn] of conns.entries()) conn.on("changed", (n) => seen[i]!.push(n));
    await Promise.all(conns.map((conn) => conn.ready));
    // Subscriptions travel on each socket before the calls below can cause events.
    await Promise.all(conns.map((conn) => conn.getCount()));
    const writer = served.client({ encoding }).counter.getOrCreate(["room"]);
    await Promise.all(Array.from({ length: 50 }, () => writer.increment(1)));
    const expected = Array.from({ length: 50 }, (_, i) => i + 1);
    await until("every client to see 50 events", () => seen.every((s) => s.length === 50));
    for (const s of seen) expect(s).toEqual(expected);
  });

  test("connection params and the token reach the actor; getParams runs per call and per connection", async () => {
    await using served = await serveActors();
    const client = served.client({ encoding, token: "tok", headers: { "x-custom": "hdr" } });
    expect(await client.guarded.getOrCreate([], { params: { token: "secret" } }).whoami()).toEqual({
      token: "secret",
      authorization: "Bearer tok",
      custom: "hdr",
    });
    let calls = 0;
    const handle = client.guarded.getOrCreate([], {
      getParams: () => {
        calls++;
        return { token: "secret" };
      },
    });
    await handle.whoami();
    const conn = handle.connect();
    expect(await conn.whoami()).toEqual({ token: "secret", authorization: "Bearer tok", custom: null });
    expect(calls).toBe(2);
  });
});

test("a connection stays across the actor's sleep; destroying the actor closes it for good", async () => {
  await using served = await serveActors();
  const client = served.client();
  const handle = client.counter.getOrCreate(["nap"]);
  const conn = handle.connect();
  const seen: unknown[] = [];
  conn.on("changed", (n) => seen.push(n));
  await conn.increment(1);
  const actorId = await handle.resolve();
  await conn.nap();
  const host = served.registry.runtime().host;
  await until("the actor to fall asleep", () => !host.instances.has(actorId));
  // Another client wakes it; the sleeping connection still gets the event.
  expect(await served.client().counter.getOrCreate(["nap"]).increment(1)).toBe(2);
  await until("the event after the wake", () => seen.length === 2);
  expect(seen).toEqual([1, 2]);
  expect(conn.connStatus).toBe("connected");

  const reasons: string[] = [];
  conn.onClose((reason) => reasons.push(reason));
  await conn.selfDestruct();
  await until("the close", () => reasons.length === 1);
  expect(reasons).toEqual(["actor destroyed"]);
  expect(conn.connStatus).toBe("disconnected");
  await expect(conn.getCount()).rejects.toMatchObject({ group: "client", code: "connection_lost" });
});

test("auth rejection: the error reaches onError and pending calls, and the client does not retry", async () => {
  await using served = await serveActors();
  const client = served.client();
  const conn = client.guarded.getOrCreate().connect({ token: "wrong" });
  const errors: unknown[] = [];
  conn.onError((e) => errors.push(e));
  await expect(conn.whoami()).rejects.toMatchObject({ group: "auth", code: "forbidden", message: "Bad token." });
  expect(errors).toHaveLength(1);
  // It never opened and will not retry: idle, and `ready` rejects with the reason.
  expect(conn.connStatus).toBe("idle");
  await expect(conn.ready).rejects.toMatchObject({ group: "auth", code: "forbidden" });
  // No second attempt: the actor saw no further connection attempt and a later call fails at once.
  await expect(conn.whoami()).rejects.toMatchObject({ code: "forbidden" });
  // 1: the ephemeral connection of this very call; the rejected one never counted.
  expect(await client.guarded.getOrCreate([], { params: { token: "secret" } }).connects()).toBe(1);
});

test("after the server restarts the connection comes back: in-flight calls reject, subscriptions and state survive", async () => {
  await using served = await serveActors();
  const client = served.client();
  let token = "secret";
  let paramsComputed = 0;
  const conn = client.guarded
    .getOrCreate(["r"], {
      getParams: () => {
        paramsComputed++;
        return { token };
      },
    })
    .connect();
  const counterConn = client.counter.getOrCreate(["r"]).connect();
  const seen: unknown[] = [];
  counterConn.on("changed", (n) => seen.push(n));
  expect(await counterConn.increment(1)).toBe(1);
  expect(await conn.connects()).toBe(1);
  const statuses: ConnStatus[] = [];
  counterConn.onStatusChange((s) => statuses.push(s));

  // A call the server is running when it stops, and that outlives the grace period, is lost.
  const holderConn = client.holder.getOrCreate(["r"]).connect();
  const holding = new Promise((resolve) => holderConn.once("holding", resolve));
  const inflight = expect(holderConn.hold("never")).rejects.toMatchObject({ group: "client", code: "connection_lost" });
  await holding;
  await served.restart();
  await inflight;
  await until("both connections to reopen", () => counterConn.connStatus === "connected" && conn.connStatus === "connected");
  expect(statuses).toEqual(["disconnected", "connecting", "connected"]);
  expect(await counterConn.increment(1)).toBe(2);
  expect(seen).toEqual([1, 2]);
  expect(await conn.connects()).toBe(2);
  expect(paramsComputed).toBe(2);

  // A token that is no longer accepted ends the retries instead of looping forever.
  token = "revoked";
  const errors: unknown[] = [];
  conn.onError((e) => errors.push(e));
  await served.restart();
  await until("the rejection to reach onError", () => errors.length > 0);
  expect(errors[0]).toMatchObject({ group: "auth", code: "forbidden" });
  await expect(conn.connects()).rejects.toMatchObject({ code: "forbidden" });
});
