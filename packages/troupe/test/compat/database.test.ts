// Item 6 of RivetKit compatibility: hand-written database providers `{ createClient, onMigrate }`
// (alone, or wrapping db()), and a failed Drizzle migration that says what failed.

import { actor } from "troupe";
import { db, type SqlDatabase } from "troupe/db";
import { db as drizzleDb } from "troupe/db/drizzle";
import { describe, expect, test } from "vitest";
import { until } from "../support/until.ts";
import { open, TARGETS } from "./harness.ts";

const counts = { createClient: 0, onMigrate: 0, sleeps: 0 };
const base = db({ onMigrate: (tx) => tx.execute("CREATE TABLE IF NOT EXISTS notes (text TEXT NOT NULL)") });

/** Wraps db(), counting its calls, as RivetKit apps do to observe the database's lifecycle. */
const counted = actor({
  db: {
    createClient: async (database: Parameters<typeof base.createClient>[0]) => {
      counts.createClient++;
      return base.createClient(database);
    },
    onMigrate: async (client: Awaited<ReturnType<typeof base.createClient>>) => {
      counts.onMigrate++;
      await base.onMigrate?.(client);
    },
  },
  actions: {
    add: async (c, text: string) => {
      await c.db.execute("INSERT INTO notes (text) VALUES (?)", text);
      return (await c.db.execute<{ n: number }>("SELECT count(*) AS n FROM notes"))[0]?.n;
    },
    nap: (c) => c.sleep(),
  },
  onSleep: () => {
    counts.sleeps++;
  },
});

/** A client of its own over the actor's database. */
function kvClient(database: SqlDatabase) {
  return {
    put: (key: string, value: string) => database.execute("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)", key, value),
    get: async (key: string) => (await database.execute<{ v: string }>("SELECT v FROM kv WHERE k = ?", key))[0]?.v,
    migrate: () => database.execute("CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT)"),
  };
}

const kvStore = actor({
  db: { createClient: kvClient, onMigrate: (client: ReturnType<typeof kvClient>) => client.migrate() },
  actions: {
    roundTrip: async (c, key: string, value: string) => {
      await c.db.put(key, value);
      return c.db.get(key);
    },
  },
});

const broken = actor({
  db: drizzleDb({
    migrations: {
      journal: { entries: [{ idx: 0, when: 1, tag: "0000_init", breakpoints: true }] },
      migrations: { m0000: "CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER NOT NULL" },
    },
  }),
  actions: { ping: () => "pong" },
});

describe.each(TARGETS)("database providers (%s)", (target) => {
  test("a provider { createClient, onMigrate } wrapping db() runs on every start", async () => {
    await using app = await open(target, { counted, kvStore, broken });
    const before = { ...counts };
    const handle = app.client.counted.getOrCreate("c");
    expect(await handle.add("a")).toBe(1);
    await handle.nap();
    await until("the actor is stopping", () => counts.sleeps > before.sleeps);
    expect(await handle.add("b")).toBe(2);
    // Two starts: each migrates through a client of its own, then builds c.db.
    expect(counts.onMigrate - before.onMigrate).toBe(2);
    expect(counts.createClient - before.createClient).toBe(4);
  });

  test("a provider with its own client type is c.db", async () => {
    await using app = await open(target, { counted, kvStore, broken });
    expect(await app.client.kvStore.getOrCreate("k").roundTrip("a", "1")).toBe("1");
  });

  test("a failed Drizzle migration reports the original error text", async () => {
    await using app = await open(target, { counted, kvStore, broken });
    const error = await app.client.broken
      .getOrCreate("b")
      .ping()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ group: "sqlite", code: "migration_failed" });
    expect((error as Error).message).toMatch(/incomplete input|syntax error/);
  });
});
