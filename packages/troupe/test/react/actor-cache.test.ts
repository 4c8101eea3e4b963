// The connection cache under troupe/react's useActor, without React or a browser: identical
// options share one connection, counted by its subscribers and closed a moment after the last leaves.

import { setupTest } from "troupe/test";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { type AccessorLookup, ActorCache } from "../../src/react/actor-cache.ts";
import { type ActorRequest, hashActorOptions } from "../../src/react/hash.ts";
import { until } from "../support/until.ts";
import { registry } from "./fixtures.ts";

const CLEANUP_DELAY = 1_000;

function cacheFor(t: ReturnType<typeof setupTest<typeof registry>>) {
  const client = t.client as unknown as Record<string, ReturnType<AccessorLookup>>;
  return new ActorCache((name) => client[name]!, CLEANUP_DELAY);
}

function storeOf(cache: ActorCache, request: ActorRequest) {
  return cache.store(hashActorOptions(request), request);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test("identical options share one connection, whatever their property order", async () => {
  const t = setupTest(registry);
  const cache = cacheFor(t);
  const a = storeOf(cache, { name: "room", key: "r1", params: { user: "ada", theme: "dark" } });
  const b = storeOf(cache, { params: { theme: "dark", user: "ada" }, key: ["r1"], name: "room" });
  const changes = { a: 0, b: 0 };
  const releaseA = a.subscribe(() => changes.a++);
  const releaseB = b.subscribe(() => changes.b++);
  expect(a.getSnapshot().connection).not.toBeNull();
  expect(b.getSnapshot().connection).toBe(a.getSnapshot().connection);
  await until("connected", () => a.getSnapshot().connStatus === "connected");
  expect(b.getSnapshot()).toBe(a.getSnapshot());
  expect(b.getSnapshot()).toMatchObject({ isConnected: true, error: null });
  expect(changes.a).toBeGreaterThan(0);
  expect(changes.b).toBe(changes.a);
  expect(await t.client.room.getOrCreate("r1").conns()).toBe(1);
  expect(cache.size).toBe(1);
  releaseA();
  releaseB();
});

test("different params, keys or noCreate are different connections", async () => {
  const t = setupTest(registry);
  const cache = cacheFor(t);
  await t.client.room.getOrCreate("r1").resolve();
  const requests: ActorRequest[] = [
    { name: "room", key: "r1", params: { user: "ada" } },
    { name: "room", key: "r1", params: { user: "bob" } },
    { name: "room", key: "r2", params: { user: "ada" } },
    { name: "room", key: "r1", params: { user: "ada" }, noCreate: true },
  ];
  const stores = requests.map((request) => storeOf(cache, request));
  for (const store of stores) store.subscribe(() => {});
  await until("all connected", () => stores.every((store) => store.getSnapshot().isConnected));
  expect(new Set(stores.map((store) => store.getSnapshot().connection)).size).toBe(4);
  expect(await t.client.room.getOrCreate("r1").conns()).toBe(3);
  // createWithInput does not name another connection: the actor exists once, whatever its input.
  expect(hashActorOptions({ name: "room", key: "r1", createWithInput: { a: 1 } })).toBe(hashActorOptions({ name: "room", key: "r1" }));
});

test("the connection closes only after the last subscriber leaves and the cleanup delay passes", async () => {
  const t = setupTest(registry);
  const cache = cacheFor(t);
  const request: ActorRequest = { name: "room", key: "shared" };
  const first = storeOf(cache, request);
  const second = storeOf(cache, request);
  const releaseFirst = first.subscribe(() => {});
  const releaseSecond = second.subscribe(() => {});
  await until("connected", () => first.getSnapshot().isConnected);
  const connection = first.getSnapshot().connection!;

  releaseFirst();
  releaseFirst(); // releasing twice counts once
  await vi.advanceTimersByTimeAsync(CLEANUP_DELAY * 2);
  expect(connection.connStatus).toBe("connected");

  releaseSecond();
  await vi.advanceTimersByTimeAsync(CLEANUP_DELAY - 1);
  expect(connection.connStatus).toBe("connected");
  expect(cache.size).toBe(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(connection.connStatus).toBe("idle");
  expect(cache.size).toBe(0);
  await until("the actor sees no connection", async () => (await t.client.room.getOrCreate("shared").conns()) === 0);

  // A new subscriber after the cleanup gets a new connection.
  const again = storeOf(cache, request);
  again.subscribe(() => {});
  expect(again.getSnapshot().connection).not.toBe(connection);
  await until("connected again", () => again.getSnapshot().isConnected);
});

test("a subscriber that comes back within the delay (a remount) keeps the same connection", async () => {
  const t = setupTest(registry);
  const cache = cacheFor(t);
  const store = storeOf(cache, { name: "room", key: "strict" });
  const release = store.subscribe(() => {});
  await until("connected", () => store.getSnapshot().isConnected);
  const connection = store.getSnapshot().connection;
  release();
  await vi.advanceTimersByTimeAsync(CLEANUP_DELAY - 1);
  const releaseAgain = store.subscribe(() => {});
  await vi.advanceTimersByTimeAsync(CLEANUP_DELAY * 2);
  expect(store.getSnapshot().connection).toBe(connection);
  expect(store.getSnapshot().connStatus).toBe("connected");
  expect(await t.client.room.getOrCreate("strict").conns()).toBe(1);
  releaseAgain();
});

test("before anyone subscribes a store connects nothing; a disabled store never does", async () => {
  const t = setupTest(registry);
  const cache = cacheFor(t);
  const hash = hashActorOptions({ name: "room", key: "quiet" });
  const enabled = cache.store(hash, { name: "room", key: "quiet" });
  const disabled = cache.store(hash, undefined);
  expect(enabled.getSnapshot()).toMatchObject({ connection: null, handle: null, connStatus: "connecting", hash });
  expect(enabled.getSnapshot()).toBe(enabled.getSnapshot()); // stable, as useSyncExternalStore needs
  disabled.subscribe(() => {})();
  expect(disabled.getSnapshot()).toMatchObject({ connection: null, connStatus: "idle", isConnected: false, error: null });
  expect(cache.size).toBe(0);
  expect(await t.client.room.getOrCreate("quiet").conns()).toBe(0);
});

test("connection errors show in the snapshot: refused params, a missing actor with noCreate, a bad key", async () => {
  const t = setupTest(registry);
  const cache = cacheFor(t);
  const refused = storeOf(cache, { name: "room", key: "r", params: { user: "mallory" } });
  const missing = storeOf(cache, { name: "room", key: "nobody", noCreate: true });
  const badKey = storeOf(cache, { name: "room", key: "x".repeat(200) });
  for (const store of [refused, missing, badKey]) store.subscribe(() => {});
  await until("both failed", () => refused.getSnapshot().error !== null && missing.getSnapshot().error !== null);
  await until("both idle", () => refused.getSnapshot().connStatus === "idle" && missing.getSnapshot().connStatus === "idle");
  expect(refused.getSnapshot().error).toMatchObject({ group: "auth", code: "forbidden", message: "Not you." });
  expect(missing.getSnapshot().error).toMatchObject({ group: "actor", code: "not_found" });
  expect(badKey.getSnapshot()).toMatchObject({ connection: null, connStatus: "idle", error: { group: "actor", code: "key_too_large" } });
  expect(await t.client.room.getOrCreate("r").conns()).toBe(0);
});
