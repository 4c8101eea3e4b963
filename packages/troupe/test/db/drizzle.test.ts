import { eq, sql } from "drizzle-orm";
import { actor, setup } from "troupe";
import { db, integer, sqliteTable, text } from "troupe/db/drizzle";
import { setupTest } from "troupe/test";
import { describe, expect, test } from "vitest";

const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  admin: integer("admin", { mode: "boolean" }).notNull().default(false),
});
const schema = { users };

// What drizzle-kit generates for the schema above (driver "durable-sqlite"), then a second step.
const migrations = {
  journal: {
    entries: [
      { idx: 0, when: 1_700_000_000_000, tag: "0000_users", breakpoints: true },
      { idx: 1, when: 1_700_000_100_000, tag: "0001_admin", breakpoints: true },
    ],
  },
  migrations: {
    m0000:
      "CREATE TABLE `users` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,\n\t`name` text NOT NULL\n);\n--> statement-breakpoint\nCREATE UNIQUE INDEX `users_name_unique` ON `users` (`name`);",
    m0001: "ALTER TABLE `users` ADD `admin` integer DEFAULT false NOT NULL;",
  },
};

const team = actor({
  db: db({ schema, migrations }),
  actions: {
    add: async (c, name: string, admin = false) => {
      const [row] = await c.db.insert(users).values({ name, admin }).returning();
      return row;
    },
    all: (c) => c.db.select().from(users).orderBy(users.id),
    admins: (c) => c.db.query.users.findMany({ where: eq(users.admin, true), columns: { name: true } }),
    rename: (c, from: string, to: string) => c.db.update(users).set({ name: to }).where(eq(users.name, from)),
    count: (c) => c.db.$count(users),
    // Raw SQL through Drizzle follows its sqlite-proxy driver: rows are arrays (execute gives objects).
    rawValues: (c) => c.db.all(sql`SELECT id, name FROM users ORDER BY id`),
    raw: (c) => c.db.execute<{ name: string }>("SELECT name FROM users ORDER BY id"),
    /** Adds both users or neither. */
    addPair: (c, a: string, b: string) =>
      c.db
        .transaction(async (tx) => {
          await tx.insert(users).values({ name: a });
          await tx.insert(users).values({ name: b });
          return "added";
        })
        .catch((error: Error) => `rolled back: ${error.message.includes("UNIQUE") || String(error.cause).includes("UNIQUE")}`),
    batch: (c) =>
      c.db.batch([
        c.db.insert(users).values({ name: "batch-1" }),
        c.db.insert(users).values({ name: "batch-2" }),
        c.db.select().from(users),
      ]),
    migrationsApplied: (c) => c.db.execute<{ created_at: number }>('SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at'),
  },
});
const registry = setup({ use: { team } });

describe.each(["sqlite", "memory"] as const)("Drizzle on the %s driver", (storage) => {
  test("typed queries round-trip through the actor's database", async () => {
    const t = setupTest(registry, { storage });
    const h = t.client.team.getOrCreate(["t"]);
    expect(await h.add("ada", true)).toEqual({ id: 1, name: "ada", admin: true });
    expect(await h.add("bob")).toEqual({ id: 2, name: "bob", admin: false });
    await h.rename("bob", "bea");
    expect(await h.all()).toEqual([
      { id: 1, name: "ada", admin: true },
      { id: 2, name: "bea", admin: false },
    ]);
    expect(await h.admins()).toEqual([{ name: "ada" }]);
    expect(await h.count()).toBe(2);
    expect(await h.raw()).toEqual([{ name: "ada" }, { name: "bea" }]);
    expect(await h.rawValues()).toEqual([
      [1, "ada"],
      [2, "bea"],
    ]);
  });

  test("a transaction of query builders commits together or rolls back together", async () => {
    const t = setupTest(registry, { storage });
    const h = t.client.team.getOrCreate(["t"]);
    expect(await h.addPair("a", "b")).toBe("added");
    expect(await h.addPair("c", "a")).toBe("rolled back: true");
    expect((await h.all()).map((u) => u.name)).toEqual(["a", "b"]);
  });

  test("db.batch runs its queries in one transaction", async () => {
    const t = setupTest(registry, { storage });
    const results = await t.client.team.getOrCreate(["t"]).batch();
    expect(results[2]).toEqual([
      { id: 1, name: "batch-1", admin: false },
      { id: 2, name: "batch-2", admin: false },
    ]);
  });
});

test("migrations are applied once and recorded, across sleep and restart", async () => {
  const t = setupTest(registry);
  const h = t.client.team.getOrCreate(["t"]);
  await h.add("ada");
  await t.sleep(await h.resolve());
  await t.restart();
  expect(await h.all()).toEqual([{ id: 1, name: "ada", admin: false }]);
  expect(await h.migrationsApplied()).toEqual([{ created_at: 1_700_000_000_000 }, { created_at: 1_700_000_100_000 }]);
});
