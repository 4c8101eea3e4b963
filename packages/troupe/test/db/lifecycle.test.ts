import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { actor, setup } from "troupe";
import { db } from "troupe/db";
import { setupTest } from "troupe/test";
import { describe, expect, test } from "vitest";
import { until } from "../support/until.ts";

const tenant = actor({
  db: db({ onMigrate: (tx) => tx.execute("CREATE TABLE IF NOT EXISTS items (name TEXT)") }),
  actions: {
    add: (c, name: string) => c.db.execute("INSERT INTO items VALUES (?)", name),
    names: async (c) => (await c.db.execute<{ name: string }>("SELECT name FROM items ORDER BY rowid")).map((r) => r.name),
    check: async (c) => (await c.db.execute<{ integrity_check: string }>("PRAGMA integrity_check"))[0]?.integrity_check,
    journal: async (c) => (await c.db.execute<{ journal_mode: string }>("PRAGMA journal_mode"))[0]?.journal_mode,
    synchronous: async (c) => (await c.db.execute<{ synchronous: number }>("PRAGMA synchronous"))[0]?.synchronous,
    destroy: (c) => c.destroy(),
    /** Starts a write that ends after the actor has stopped. */
    lateWrite: (c) => {
      c.waitUntil(new Promise((resolve) => setTimeout(resolve, 10)));
      const late = new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
        c.db.execute("INSERT INTO items VALUES ('late')").then(
          () => "written",
          (error: { code: string }) => error.code,
        ),
      );
      lateWrites.push(late);
      c.sleep();
    },
  },
});
const lateWrites: Array<Promise<unknown>> = [];
const registry = setup({ use: { tenant } });

const databaseFile = (storagePath: string, id: string) => join(dirname(storagePath), "actors", `${id}.db`);

test("each actor has a database file of its own, in WAL mode with synchronous=FULL", async () => {
  const t = setupTest(registry);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const h = t.client.tenant.getOrCreate([`t${i}`]);
    await h.add(`item of t${i}`);
    ids.push(await h.resolve());
  }
  for (let i = 0; i < 20; i++) expect(await t.client.tenant.getOrCreate([`t${i}`]).names()).toEqual([`item of t${i}`]);
  for (const id of ids) expect(existsSync(databaseFile(t.storagePath!, id))).toBe(true);
  const h = t.client.tenant.getOrCreate(["t0"]);
  expect(await h.journal()).toBe("wal");
  expect(await h.synchronous()).toBe(2); // FULL
});

describe.each(["sqlite", "memory"] as const)("on the %s driver", (storage) => {
  test("data survives sleep/wake cycles and a restart", async () => {
    const t = setupTest(registry, { storage });
    const h = t.client.tenant.getOrCreate(["a"]);
    const id = await h.resolve();
    for (let cycle = 0; cycle < 3; cycle++) {
      await h.add(`cycle ${cycle}`);
      await t.sleep(id);
      expect(t.host.instances.has(id)).toBe(false);
    }
    expect(await h.names()).toEqual(["cycle 0", "cycle 1", "cycle 2"]);
    await t.restart();
    expect(await h.names()).toEqual(["cycle 0", "cycle 1", "cycle 2"]);
    expect(await h.check()).toBe("ok");
  });

  test("destroy removes the database; the same key then starts empty", async () => {
    const t = setupTest(registry, { storage });
    const h = t.client.tenant.getOrCreate(["a"]);
    await h.add("gone soon");
    const id = await h.resolve();
    const file = t.storagePath && databaseFile(t.storagePath, id);
    if (file) expect(existsSync(file)).toBe(true);
    await h.destroy();
    // The destroy completes after the action's turn.
    await until("the destroyed actor to stop", () => !t.host.instances.has(id));
    if (file) {
      expect(existsSync(file)).toBe(false);
      expect(existsSync(`${file}-wal`)).toBe(false);
    }
    expect(await t.client.tenant.getOrCreate(["a"]).names()).toEqual([]);
  });
});

test("after the actor stops, its database refuses work with sqlite.closed", async () => {
  const t = setupTest(registry);
  const h = t.client.tenant.getOrCreate(["a"]);
  await h.lateWrite();
  expect(await lateWrites.pop()).toBe("closed");
  expect(await h.names()).toEqual([]);
});
