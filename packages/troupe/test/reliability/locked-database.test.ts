// A database file locked by another program: Troupe waits for the lock without blocking the event
// loop (other actors keep answering meanwhile), gives up with a typed storage.busy that applied
// nothing, and works again once the lock is gone. Before, SQLite's busy_timeout waited on the main
// thread, freezing the whole process for seconds per attempt.

import { createInterface } from "node:readline";
import { join } from "node:path";
import { actor, setup } from "troupe";
import { db } from "troupe/db";
import { setupTest } from "troupe/test";
import { afterEach, beforeEach, expect, onTestFinished, test, vi } from "vitest";
import { spawnTs } from "../support/child-process.ts";
import { until } from "../support/until.ts";

const child = join(import.meta.dirname, "fixtures", "lock-child.ts");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Another process holding the write lock of `file` until `release()`. */
async function lockFile(file: string) {
  const proc = spawnTs(child, [file], { stdio: ["pipe", "pipe", "inherit"] });
  onTestFinished(() => {
    proc.kill("SIGKILL");
  });
  const lines: string[] = [];
  createInterface({ input: proc.stdout! }).on("line", (line) => lines.push(line));
  await until("the other process holds the lock", () => lines.includes("locked"), { timeout: 20_000 });
  return {
    release: async () => {
      proc.stdin!.write("release\n");
      await until("the other process released the lock", () => lines.includes("released"), { timeout: 20_000 });
    },
  };
}

const ledger = actor({
  state: { count: 0 },
  db: db({ onMigrate: (tx) => tx.execute("CREATE TABLE IF NOT EXISTS entries (n INTEGER)") }),
  actions: {
    insert: (c, n: number) => c.db.execute("INSERT INTO entries (n) VALUES (?)", n),
    entries: async (c) => (await c.db.execute<{ n: number }>("SELECT n FROM entries ORDER BY n")).map((r) => r.n),
    increment: (c) => ++c.state.count,
    count: (c) => c.state.count,
  },
});
const registry = setup({ use: { ledger } });

/** Settles a promise into a value a test can look at later without awaiting it. */
function watch<T>(promise: Promise<T>) {
  const seen: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(seen, { settled: true, value }),
    (error: unknown) => Object.assign(seen, { settled: true, error }),
  );
  return seen;
}

test("an actor's own database locked by another process: the wait blocks nothing, ends in storage.busy, then works", {
  timeout: 60_000,
}, async () => {
  const t = setupTest(registry);
  const locked = t.client.ledger.getOrCreate("locked");
  const other = t.client.ledger.getOrCreate("other");
  const id = await locked.resolve();
  await locked.insert(1);
  await other.insert(1);
  const lock = await lockFile(join(t.storagePath as string, "..", "actors", `${id}.db`));

  const insert = watch(locked.insert(2));
  // Another actor answers while the first waits for the lock: the event loop is free.
  expect(await other.entries()).toEqual([1]);
  expect(insert.settled).toBe(false);
  await vi.advanceTimersByTimeAsync(6_000);
  await until("the insert gave up", () => insert.settled);
  expect(insert.error).toMatchObject({ group: "storage", code: "busy" });

  await lock.release();
  await locked.insert(3);
  expect(await locked.entries()).toEqual([1, 3]);
});

test("the storage file locked by another process: commits wait without blocking, fail typed, apply nothing, then resume", {
  timeout: 60_000,
}, async () => {
  const t = setupTest(registry);
  const counter = t.client.ledger.getOrCreate("counter");
  expect(await counter.increment()).toBe(1);
  const lock = await lockFile(t.storagePath as string);

  const increment = watch(counter.increment());
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  expect(increment.settled).toBe(false);
  await vi.advanceTimersByTimeAsync(6_000);
  await until("the increment gave up", () => increment.settled);
  expect(increment.error).toMatchObject({ group: "storage", code: "busy" });

  await lock.release();
  // The failed increment was not applied: the retry counts it once.
  expect(await counter.increment()).toBe(2);
  expect(await counter.count()).toBe(2);
});
