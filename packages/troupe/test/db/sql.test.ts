import { actor, setup } from "troupe";
import { db } from "troupe/db";
import { setupTest } from "troupe/test";
import { describe, expect, test } from "vitest";

const notes = actor({
  db: db({
    onMigrate: (tx) =>
      tx.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT, flag INTEGER, data BLOB, big INTEGER)"),
  }),
  actions: {
    add: async (c, body: string) => {
      const [row] = await c.db.execute<{ id: number }>("INSERT INTO notes (body) VALUES (?) RETURNING id", body);
      return row?.id;
    },
    all: (c) => c.db.execute<{ id: number; body: string }>("SELECT id, body FROM notes ORDER BY id"),
    named: async (c, body: string, flag: boolean) => {
      await c.db.execute("INSERT INTO notes (body, flag) VALUES (:body, @flag)", { body, flag });
      return c.db.execute("SELECT body, flag FROM notes WHERE body = $body", { $body: body });
    },
    types: async (c) => {
      await c.db.execute(
        "INSERT INTO notes (body, flag, data, big) VALUES (?, ?, ?, ?)",
        undefined,
        true,
        new Uint8Array([4, 8, 15, 16, 23, 42]),
        2n ** 40n,
      );
      const [row] = await c.db.execute<{ body: unknown; flag: number; data: Uint8Array; big: number }>(
        "SELECT body, flag, data, big FROM notes WHERE data IS NOT NULL",
      );
      return { body: row?.body, flag: row?.flag, data: [...(row?.data ?? [])], big: row?.big };
    },
    nul: async (c) => {
      await c.db.execute("INSERT INTO notes (body) VALUES (?)", "a\0b");
      return c.db.execute("SELECT hex(body) AS hex, length(CAST(body AS BLOB)) AS bytes FROM notes WHERE body = ?", "a\0b");
    },
    script: async (c) => {
      await c.db.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);");
      return c.db.execute("SELECT x FROM t ORDER BY x");
    },
    run: (c, sql: string, ...args: string[]) => c.db.execute(sql, ...args),
    /** Runs SQL and reports how it failed, as the action sees it (the caller would see it masked). */
    failure: async (c, sql: string, ...args: unknown[]) => {
      try {
        await c.db.execute(sql, ...(args as never[]));
        return "no error";
      } catch (error) {
        const { group, code, message } = error as { group?: string; code?: string; message: string };
        return { group, code, message };
      }
    },
  },
});

const plain = actor({
  actions: {
    useDb: (c) => {
      try {
        return (c as unknown as { db: unknown }).db;
      } catch (error) {
        const { group, code, message } = error as { group: string; code: string; message: string };
        return { group, code, message };
      }
    },
  },
});

const registry = setup({ use: { notes, plain } });

describe.each(["sqlite", "memory"] as const)("c.db on the %s driver", (storage) => {
  test("round trip: insert, RETURNING, select", async () => {
    const t = setupTest(registry, { storage });
    const h = t.client.notes.getOrCreate(["a"]);
    expect(await h.add("first")).toBe(1);
    expect(await h.add("second")).toBe(2);
    expect(await h.all()).toEqual([
      { id: 1, body: "first" },
      { id: 2, body: "second" },
    ]);
  });

  test("named parameters with any sigil, booleans stored as 0/1", async () => {
    const t = setupTest(registry, { storage });
    expect(await t.client.notes.getOrCreate(["a"]).named("x", true)).toEqual([{ body: "x", flag: 1 }]);
  });

  test("undefined, booleans, bytes and bigints bind; NUL inside text survives", async () => {
    const t = setupTest(registry, { storage });
    const h = t.client.notes.getOrCreate(["a"]);
    expect(await h.types()).toEqual({ body: null, flag: 1, data: [4, 8, 15, 16, 23, 42], big: 2 ** 40 });
    expect(await h.nul()).toEqual([{ hex: "610062", bytes: 3 }]);
  });

  test("a script of several statements runs when it has no parameters", async () => {
    const t = setupTest(registry, { storage });
    expect(await t.client.notes.getOrCreate(["a"]).script()).toEqual([{ x: 1 }, { x: 2 }]);
  });
});

test("SQL errors reach the action; wrong parameters are sqlite.invalid_bind_parameter", async () => {
  const t = setupTest(registry);
  const h = t.client.notes.getOrCreate(["a"]);
  // The caller sees internal errors masked; the action sees the real one.
  await expect(h.run("SELEKT 1")).rejects.toMatchObject({ group: "actor", code: "internal_error" });
  expect(await h.failure("SELEKT 1")).toMatchObject({ message: expect.stringContaining("syntax error") });
  expect(await h.failure("SELECT ?", 1, 2)).toMatchObject({ group: "sqlite", code: "invalid_bind_parameter" });
  expect(await h.failure("SELECT :a", { b: 1 })).toMatchObject({ code: "invalid_bind_parameter" });
  expect(await h.failure("SELECT ?", [1])).toMatchObject({
    code: "invalid_bind_parameter",
    message: expect.stringContaining("parameter 1 is an Array"),
  });
  expect(await h.failure("SELECT 1; SELECT ?", 1)).toMatchObject({ code: "invalid_bind_parameter" });
});

test("c.db on an actor without `db` throws an error about the database", async () => {
  const t = setupTest(registry);
  expect(await t.client.plain.getOrCreate(["a"]).useDb()).toEqual({
    group: "sqlite",
    code: "not_configured",
    message: expect.stringContaining("database"),
  });
});
