import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { actor, SqliteDriver, setup } from "troupe";
import { afterEach, expect, test } from "vitest";
import { gated } from "./gated-driver.ts";

const counter = actor({
  state: { count: 0 },
  actions: {
    increment: (c) => {
      c.state.count++;
      c.broadcast("changed", c.state.count);
      return c.state.count;
    },
    read: (c) => c.state.count,
  },
});
const relaxed = actor({
  state: { count: 0 },
  actions: { increment: (c) => ++c.state.count },
  options: { durability: "relaxed", stateSaveInterval: 10 },
});
const notes = actor({
  state: { count: 0 },
  actions: {
    write: async (c, key: string, value: string) => {
      c.state.count++;
      await c.kv.put(key, value);
    },
    bump: (c) => ++c.state.count,
    read: async (c, key: string) => ({ count: c.state.count, value: await c.kv.get(key) }),
  },
});
const registry = setup({ use: { counter, relaxed, notes } });
const logger = pino({ level: "silent" });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function open() {
  const dir = mkdtempSync(join(tmpdir(), "troupe-gate-"));
  const path = join(dir, "troupe.db");
  const driver = gated(new SqliteDriver({ path }));
  const runtime = registry.createRuntime(driver, logger);
  cleanups.push(async () => {
    driver.release();
    await runtime.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });
  return { runtime, driver, path, dir };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test("a reply and its broadcast wait until the state change is committed", async () => {
  const { runtime, driver } = open();
  const client = runtime.client;
  const handle = client.counter.getOrCreate("g");
  await handle.read();
  const conn = handle.connect();
  const events: unknown[] = [];
  conn.on("changed", (n) => events.push(n));
  await conn.ready;

  driver.hold();
  let replied = false;
  const reply = handle.increment().then((n) => {
    replied = true;
    return n;
  });
  for (let i = 0; i < 5; i++) await turn();
  expect(replied).toBe(false);
  expect(events).toEqual([]);
  driver.release();
  expect(await reply).toBe(1);
  expect(events).toEqual([1]);
  await conn.dispose();
});

test("writes of many actors in one turn are grouped into one storage commit", async () => {
  const { runtime, driver } = open();
  const client = runtime.client;
  const handles = Array.from({ length: 50 }, (_, i) => client.counter.getOrCreate(`a${i}`));
  await Promise.all(handles.map((h) => h.read()));
  const before = driver.commits.length;
  await Promise.all(handles.map((h) => h.increment()));
  const commits = driver.commits.slice(before);
  expect(commits.length).toBeLessThanOrEqual(2);
  expect(commits.reduce((n, c) => n + c.length, 0)).toBe(50);
});

test("a new actor's record and first state are one commit, made before its id is given out", async () => {
  const { runtime, driver } = open();
  const handle = runtime.client.counter.getOrCreate("cold");
  driver.hold();
  let resolved = false;
  const id = handle.resolve().then((value) => {
    resolved = true;
    return value;
  });
  for (let i = 0; i < 5; i++) await turn();
  expect(resolved).toBe(false);
  driver.release();
  await id;
  expect(driver.commits).toHaveLength(1);
  expect(driver.commits[0]).toHaveLength(1);
  expect(driver.commits[0]?.[0]).toMatchObject({
    create: { name: "counter", key: ["cold"] },
    puts: [[expect.anything(), expect.anything()]],
  });
  await handle.increment();
  expect(driver.commits).toHaveLength(2);
});

test("relaxed durability replies before the commit and saves within stateSaveInterval", async () => {
  const { runtime, driver, path } = open();
  const client = runtime.client;
  const handle = client.relaxed.getOrCreate("r");
  await handle.increment();
  await new Promise((resolve) => setTimeout(resolve, 30));
  driver.hold();
  expect(await handle.increment()).toBe(2);
  driver.release();
  await new Promise((resolve) => setTimeout(resolve, 30));
  await runtime.shutdown();
  const reopened = registry.createRuntime(new SqliteDriver({ path }), logger);
  const again = reopened.client;
  expect(await again.relaxed.getOrCreate("r").increment()).toBe(3);
  await reopened.shutdown();
});

test("a stale instance cannot write: the newer activation fences it", async () => {
  const first = open();
  const second = registry.createRuntime(new SqliteDriver({ path: first.path }), logger);
  cleanups.push(() => second.shutdown());
  const a = first.runtime.client.counter.getOrCreate("f");
  const b = second.client.counter.getOrCreate("f");
  expect(await a.increment()).toBe(1);
  // The second process activates the same actor and writes first: it now owns it.
  expect(await b.increment()).toBe(2);
  // The first process still has an instance and tries to write: rejected, nothing applied.
  await expect(a.increment()).rejects.toMatchObject({ group: "actor", code: "fenced" });
  expect(await b.read()).toBe(2);
  // The fenced instance is dropped; the next call activates afresh and sees the newest state.
  // (The second runtime keeps its instance, so it is fenced in turn by this activation.)
  expect(await a.increment()).toBe(3);
});

test("a failed commit is reported to the caller and never lands later: the actor reloads its last durable state", async () => {
  const { runtime, driver, path } = open();
  const handle = runtime.client.notes.getOrCreate("n");
  const id = await handle.resolve();
  await handle.bump();
  driver.failNext();
  await expect(handle.write("k", "v")).rejects.toMatchObject({ group: "storage", code: "error" });
  // The instance that held the failed write in memory is gone; the next call wakes a fresh one
  // from storage, where neither the count nor the key of the failed call is.
  expect(runtime.host.instances.has(id)).toBe(false);
  expect(await handle.read("k")).toEqual({ count: 1, value: undefined });
  // So a caller that retries, as the error says, applies its change once.
  await handle.write("k", "v");
  expect(await handle.bump()).toBe(3);
  await runtime.shutdown();
  const reopened = registry.createRuntime(new SqliteDriver({ path }), logger);
  expect(await reopened.client.notes.getOrCreate("n").read("k")).toEqual({ count: 3, value: "v" });
  await reopened.shutdown();
});
