import { actor, type ActorKv, createClient, setup } from "troupe";
import { db as sqlDb, type SqlDatabase } from "troupe/db";
import { db, type DrizzleDatabase, integer, sqliteTable, text } from "troupe/db/drizzle";
import { describe, expectTypeOf, test } from "vitest";

const users = sqliteTable("users", { id: integer("id").primaryKey(), name: text("name").notNull() });

const raw = actor({
  db: sqlDb(),
  createState: async (c) => {
    expectTypeOf(c.db).toEqualTypeOf<SqlDatabase>();
    return { n: 0 };
  },
  actions: {
    names: async (c) => {
      expectTypeOf(c.db).toEqualTypeOf<SqlDatabase>();
      expectTypeOf(c.kv).toEqualTypeOf<ActorKv>();
      const rows = await c.db.execute<{ name: string }>("SELECT name FROM t WHERE id = ? AND ok = ?", 1, true);
      // @ts-expect-error: an object is not a SQL value
      await c.db.execute("SELECT ?", 1, { a: 1 });
      return rows.map((r) => r.name);
    },
  },
});

const typed = actor({
  db: db({ schema: { users } }),
  actions: {
    all: (c) => {
      expectTypeOf(c.db).toEqualTypeOf<DrizzleDatabase<{ users: typeof users }>>();
      return c.db.select().from(users);
    },
    inTx: (c) =>
      c.db.transaction(async (tx) => {
        await tx.insert(users).values({ id: 1, name: "a" });
        return tx.execute<{ n: number }>("SELECT 1 AS n");
      }),
  },
});

const none = actor({
  actions: {
    // @ts-expect-error: an actor without `db` has no usable c.db
    use: (c) => c.db.execute("SELECT 1"),
  },
});

const kv = actor({
  actions: {
    read: async (c) => {
      expectTypeOf(await c.kv.get("k")).toEqualTypeOf<string | Uint8Array | undefined>();
      expectTypeOf(await c.kv.get("k", { type: "text" })).toEqualTypeOf<string | undefined>();
      expectTypeOf(await c.kv.get("k", { type: "arrayBuffer" })).toEqualTypeOf<ArrayBuffer | undefined>();
      expectTypeOf(await c.kv.list({ prefix: "a", keyType: "binary", type: "text" })).toEqualTypeOf<Array<[Uint8Array, string]>>();
      expectTypeOf(await c.kv.listRange("a", "b")).toEqualTypeOf<Array<[string, string | Uint8Array]>>();
    },
  },
});

const registry = setup({ use: { raw, typed, none, kv } });
const client = createClient<typeof registry>(registry);

describe("c.db and c.kv types", () => {
  test("action results carry the database's row types to the client", () => {
    expectTypeOf(client.raw.getOrCreate("a").names).returns.toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(client.typed.getOrCreate("a").all).returns.toEqualTypeOf<Promise<Array<{ id: number; name: string }>>>();
    expectTypeOf(client.typed.getOrCreate("a").inTx).returns.toEqualTypeOf<Promise<Array<{ n: number }>>>();
  });
});
