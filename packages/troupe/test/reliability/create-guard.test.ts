// Creating and looking up actors is guarded: onBeforeCreate refuses before anything is stored or
// run (over HTTP, WebSocket and in-process) and its refusal says nothing of whether the key exists;
// a client may create only so many actors a minute.

import { createClient as createLocalClient } from "troupe";
import { createClient } from "troupe/client";
import { afterEach, describe, expect, test, vi } from "vitest";
import { ENCODINGS, hookLog, post, type ReliabilityRegistry, serve } from "./actors.ts";

const forbidden = { group: "auth", code: "forbidden" };

async function stored(registry: ReliabilityRegistry, key: string[]): Promise<boolean> {
  return (await registry.runtime().host.driver.getActorByKey("vault", key)) !== undefined;
}

afterEach(() => {
  hookLog.length = 0;
  vi.useRealTimers();
});

describe.each(ENCODINGS)("onBeforeCreate over HTTP (%s)", (encoding) => {
  test("a refused lookup stores nothing and runs no other hook; an allowed one creates", async () => {
    await using served = await serve();
    const resolve = (query: Record<string, unknown>, headers: Record<string, string> = {}) =>
      post(`${served.url}/actors`, { value: { query: { name: "vault", ...query } } }, encoding, headers);
    for (const kind of ["getOrCreate", "create"]) {
      hookLog.length = 0;
      const refused = await resolve({ kind, key: [kind], input: { secret: "mine" } });
      expect(refused).toMatchObject({ status: 403, body: forbidden });
      expect(hookLog).toEqual([`onBeforeCreate:${kind}`]);
      expect(await stored(served.registry, [kind])).toBe(false);
    }
    hookLog.length = 0;
    const allowed = await resolve({ kind: "create", key: ["k"], input: { secret: "mine" } }, { authorization: "Bearer ok" });
    expect(allowed.status).toBe(200);
    expect(hookLog).toEqual(["onBeforeCreate:create", "createState", "onCreate", "onWake"]);
    expect(await stored(served.registry, ["k"])).toBe(true);
    // The params header is what the guard sees as params.
    const params = Buffer.from(JSON.stringify({ token: "ok" })).toString("base64url");
    expect((await resolve({ kind: "getOrCreate", key: ["p"] }, { "x-troupe-conn-params": params })).status).toBe(200);
  });

  test("a refused caller cannot tell an existing key from a missing one", async () => {
    await using served = await serve();
    const resolve = (kind: string, key: string[], headers: Record<string, string> = {}) =>
      post(`${served.url}/actors`, { value: { query: { kind, name: "vault", key } } }, encoding, headers);
    expect((await resolve("create", ["exists"], { authorization: "Bearer ok" })).status).toBe(200);
    for (const kind of ["get", "getOrCreate", "create"]) {
      const existing = await resolve(kind, ["exists"]);
      const missing = await resolve(kind, ["missing"]);
      expect(existing).toMatchObject({ status: 403, body: forbidden });
      expect(missing).toEqual(existing);
    }
    // An allowed caller sees the difference, as it should.
    expect((await resolve("get", ["missing"], { authorization: "Bearer ok" })).status).toBe(404);
  });
});

test("onBeforeCreate guards WebSocket clients (which resolve before they connect) and in-process callers", async () => {
  await using served = await serve();
  const remote = createClient<ReliabilityRegistry>(served.url, { reconnect: { initialDelay: 20, maxDelay: 50 } });
  try {
    const conn = remote.vault.getOrCreate(["ws"]).connect();
    const failed = new Promise((resolve) => conn.onError(resolve));
    expect(await failed).toMatchObject(forbidden);
    await conn.dispose();
    expect(await stored(served.registry, ["ws"])).toBe(false);
    const allowed = remote.vault.getOrCreate(["ws"], { params: { token: "ok" } }).connect();
    expect(await allowed.read()).toBe("none");
    await allowed.dispose();
  } finally {
    await remote.dispose();
  }

  const local = createLocalClient(served.registry);
  hookLog.length = 0;
  await expect(local.vault.getOrCreate(["local"]).resolve()).rejects.toMatchObject(forbidden);
  expect(hookLog).toEqual(["onBeforeCreate:getOrCreate"]);
  expect(await stored(served.registry, ["local"])).toBe(false);
  expect(await local.vault.getOrCreate(["local"], { params: { token: "ok" } }).read()).toBe("none");
});

test("a client creates at most limits.actorCreatesPerMinute actors a minute; finding existing ones is not limited", async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2030-01-01T00:00:10Z") });
  await using served = await serve({
    limits: { actorCreatesPerMinute: 3, clientKey: (request, address) => request.headers.get("x-user") ?? address ?? "?" },
  });
  const create = (key: string, user = "alice") =>
    post(`${served.url}/actors`, { value: { query: { kind: "getOrCreate", name: "store", key: [key] } } }, "json", { "x-user": user });
  for (const key of ["a", "b", "c"]) expect((await create(key)).status).toBe(200);
  const limited = await create("d");
  expect(limited).toMatchObject({ status: 429, body: { group: "actor", code: "create_rate_limited", metadata: { limit: 3 } } });
  expect(await served.registry.runtime().host.driver.getActorByKey("store", ["d"])).toBeUndefined();
  expect((await create("a")).status).toBe(200);
  expect((await create("d", "bob")).status).toBe(200);
  // In-process callers are the server's own code: not limited.
  await createLocalClient(served.registry).store.getOrCreate(["local"]).resolve();
  vi.setSystemTime(new Date("2030-01-01T00:01:00Z"));
  expect((await create("e")).status).toBe(200);
});
