import { actor, setup } from "troupe";
import { db } from "troupe/db";
import { setupTest } from "troupe/test";
import { expect, test } from "vitest";
import { inspectDatabase } from "../../src/features/db/inspect.ts";

const crm = actor({
  db: db({
    onMigrate: (tx) =>
      tx.execute(`
        CREATE TABLE IF NOT EXISTS test_data (id INTEGER PRIMARY KEY, value TEXT NOT NULL, payload BLOB, created_at INTEGER DEFAULT 0);
        CREATE TABLE IF NOT EXISTS "odd ""name""" (owner INTEGER REFERENCES test_data(id) ON DELETE CASCADE);
        CREATE VIEW IF NOT EXISTS named AS SELECT value FROM test_data;
      `),
  }),
  actions: {
    seed: async (c) => {
      await c.db.execute("INSERT INTO test_data (id, value, payload) VALUES (1, 'Alice', x'00'), (2, 'Bob', x'')");
      await c.db.execute(`INSERT INTO "odd ""name""" VALUES (1)`);
    },
  },
});
const plain = actor({ actions: { ping: () => "pong" } });
const registry = setup({ use: { crm, plain } });

async function inspector(t: ReturnType<typeof setupTest<typeof registry>>) {
  const h = t.client.crm.getOrCreate(["c"]);
  await h.seed();
  const inspect = inspectDatabase(t.host.instances.get(await h.resolve())!);
  if (!inspect) throw new Error("expected a database inspector");
  return inspect;
}

test("tables and views with their columns, foreign keys and row counts", async () => {
  const t = setupTest(registry);
  const tables = await (await inspector(t)).tables();
  expect(tables.map((x) => [x.table.name, x.table.type, x.records])).toEqual([
    ["named", "view", 2],
    ['odd "name"', "table", 1],
    ["test_data", "table", 2],
  ]);
  const testData = tables.find((x) => x.table.name === "test_data")!;
  expect(testData.table.schema).toBe("main");
  expect(testData.columns.map((c) => c.name)).toEqual(["id", "value", "payload", "created_at"]);
  expect(testData.columns[0]).toEqual({ cid: 0, name: "id", type: "INTEGER", notnull: 0, dflt_value: null, pk: 1 });
  expect(testData.columns[1]).toMatchObject({ name: "value", type: "TEXT", notnull: 1 });
  expect(tables[1]?.foreignKeys).toEqual([expect.objectContaining({ table: "test_data", from: "owner", to: "id", on_delete: "CASCADE" })]);
});

test("rows page by page; an unknown table has none", async () => {
  const t = setupTest(registry);
  const inspect = await inspector(t);
  expect(await inspect.rows("test_data", { limit: 1, offset: 1 })).toEqual([
    { id: 2, value: "Bob", payload: Buffer.alloc(0), created_at: 0 },
  ]);
  expect((await inspect.rows("test_data")).map((r) => r.value)).toEqual(["Alice", "Bob"]);
  expect(await inspect.rows('odd "name"')).toEqual([{ owner: 1 }]);
  expect(await inspect.rows("test_data; DROP TABLE test_data")).toEqual([]);
});

test("read-only queries run with parameters; anything that could write is refused", async () => {
  const t = setupTest(registry);
  const inspect = await inspector(t);
  expect(await inspect.query("SELECT value FROM test_data WHERE id = ?", [2])).toEqual([{ value: "Bob" }]);
  expect(await inspect.query("SELECT value FROM test_data WHERE id = :id", { id: 1 })).toEqual([{ value: "Alice" }]);
  expect(await inspect.query("/* hi */ WITH x AS (SELECT 1 AS one) SELECT one FROM x")).toEqual([{ one: 1 }]);
  for (const sql of [
    "DELETE FROM test_data",
    "UPDATE test_data SET value = 'x'",
    "WITH x AS (SELECT 1) INSERT INTO test_data (value) SELECT 'y' FROM x",
    "DROP TABLE test_data",
    "BEGIN",
    "ATTACH DATABASE ':memory:' AS other",
    "PRAGMA user_version = 5",
    "PRAGMA journal_mode = DELETE",
    "SELECT 1; DELETE FROM test_data",
  ]) {
    await expect(inspect.query(sql), sql).rejects.toMatchObject({ group: "sqlite", code: "read_only" });
  }
  expect(await inspect.rows("test_data")).toHaveLength(2);
});

test("no inspector for an actor without a database", async () => {
  const t = setupTest(registry);
  const h = t.client.plain.getOrCreate(["p"]);
  await h.ping();
  expect(inspectDatabase(t.host.instances.get(await h.resolve())!)).toBeUndefined();
});
