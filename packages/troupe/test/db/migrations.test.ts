import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { pino } from "pino";
import { type AnyActorDefinition, actor, type Registry, SqliteDriver, setup } from "troupe";
import { db, type SqlTransaction } from "troupe/db";
import { afterEach, expect, test } from "vitest";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "troupe-migrate-"));
  dirs.push(dir);
  return dir;
}

/** Runs `fn` against a runtime of `registry` on the storage in `dir`, then shuts it down. */
async function withRuntime<A extends Record<string, AnyActorDefinition>, T>(
  registry: Registry<A>,
  dir: string,
  fn: (client: ReturnType<Registry<A>["createRuntime"]>["client"]) => Promise<T>,
): Promise<T> {
  const runtime = registry.createRuntime(new SqliteDriver({ path: join(dir, "troupe.db") }), pino({ level: "silent" }));
  try {
    return await fn(runtime.client);
  } finally {
    await runtime.shutdown();
  }
}

type Step = (tx: SqlTransaction) => Promise<unknown>;

/** A `PRAGMA user_version` ladder: step n takes the database from version n to n + 1. */
function ladder(steps: Step[]) {
  return async (tx: SqlTransaction) => {
    const [row] = await tx.execute<{ user_version: number }>("PRAGMA user_version");
    for (let version = row?.user_version ?? 0; version < steps.length; version++) {
      await steps[version]!(tx);
      await tx.execute(`PRAGMA user_version = ${version + 1}`);
    }
  };
}

const v1: Step = (tx) => tx.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT NOT NULL)");
const v2: Step = (tx) => tx.execute("ALTER TABLE docs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'");
const failingV3: Step = async (tx) => {
  await tx.execute("CREATE TABLE half_done (x)");
  await tx.execute("UPDATE docs SET title = 'clobbered'");
  throw new Error("migration 3 is broken");
};

function docsActor(steps: Step[]) {
  return actor({
    db: db({ onMigrate: ladder(steps) }),
    actions: {
      add: (c, title: string) => c.db.execute("INSERT INTO docs (title) VALUES (?)", title),
      all: (c) => c.db.execute("SELECT * FROM docs ORDER BY id"),
      version: async (c) => (await c.db.execute<{ user_version: number }>("PRAGMA user_version"))[0]?.user_version,
    },
  });
}

const seen: string[] = [];
const hooks = actor({
  db: db({ onMigrate: (tx) => tx.execute("CREATE TABLE IF NOT EXISTS seen (hook TEXT)") }),
  createState: async (c) => {
    await c.db.execute("INSERT INTO seen VALUES ('createState')");
    return {};
  },
  // Before onCreate: TypeScript fixes V at the first hook whose context mentions it.
  createVars: async (c) => {
    await c.db.execute("INSERT INTO seen VALUES ('createVars')");
    return {};
  },
  onCreate: (c) => c.db.execute("INSERT INTO seen VALUES ('onCreate')").then(() => {}),
  onWake: (c) => c.db.execute("INSERT INTO seen VALUES ('onWake')").then(() => {}),
  onSleep: async (c) => {
    seen.push(...(await c.db.execute<{ hook: string }>("SELECT hook FROM seen")).map((r) => r.hook));
  },
  actions: { ping: () => "pong" },
});

test("the schema from onMigrate is there for createState, onCreate, createVars, onWake and onSleep", async () => {
  await withRuntime(setup({ use: { hooks } }), tempDir(), (client) => client.hooks.getOrCreate(["a"]).ping());
  expect(seen).toEqual(["createState", "onCreate", "createVars", "onWake"]);
});

test("migrations run on a new actor, and on an existing one when the definition gains a step", async () => {
  const dir = tempDir();
  await withRuntime(setup({ use: { docs: docsActor([v1]) } }), dir, async (client) => {
    const h = client.docs.getOrCreate(["d"]);
    await h.add("first");
    expect(await h.version()).toBe(1);
  });
  await withRuntime(setup({ use: { docs: docsActor([v1, v2]) } }), dir, async (client) => {
    const h = client.docs.getOrCreate(["d"]);
    expect(await h.version()).toBe(2);
    await h.add("second");
    expect(await h.all()).toEqual([
      { id: 1, title: "first", tags: "[]" },
      { id: 2, title: "second", tags: "[]" },
    ]);
  });
  // Running the same ladder again on later starts changes nothing.
  await withRuntime(setup({ use: { docs: docsActor([v1, v2]) } }), dir, async (client) => {
    expect(await client.docs.getOrCreate(["d"]).version()).toBe(2);
    expect(await client.docs.getOrCreate(["d"]).all()).toHaveLength(2);
  });
});

test("a failing migration leaves the database as it was, and the actor reports sqlite.migration_failed", async () => {
  const dir = tempDir();
  const id = await withRuntime(setup({ use: { docs: docsActor([v1, v2]) } }), dir, async (client) => {
    const h = client.docs.getOrCreate(["d"]);
    await h.add("kept");
    return h.resolve();
  });
  await withRuntime(setup({ use: { docs: docsActor([v1, v2, failingV3]) } }), dir, async (client) => {
    await expect(client.docs.getOrCreate(["d"]).all()).rejects.toMatchObject({
      group: "sqlite",
      code: "migration_failed",
      message: expect.stringContaining('actor "docs" failed'),
    });
  });
  const file = new Database(join(dir, "actors", `${id}.db`), { readonly: true });
  try {
    expect(file.pragma("user_version", { simple: true })).toBe(2);
    expect(file.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").all()).toEqual([]);
    expect(file.prepare("SELECT title FROM docs").all()).toEqual([{ title: "kept" }]);
  } finally {
    file.close();
  }
  // With the migration fixed, the same actor starts again with its data.
  await withRuntime(setup({ use: { docs: docsActor([v1, v2]) } }), dir, async (client) => {
    expect(await client.docs.getOrCreate(["d"]).all()).toEqual([{ id: 1, title: "kept", tags: "[]" }]);
  });
});

test("a new actor whose migration fails is not created and leaves no database file", async () => {
  const dir = tempDir();
  const broken = actor({
    db: db({ onMigrate: (tx) => tx.execute("CREATE TABLE oops (") }),
    actions: { ping: () => "pong" },
  });
  await withRuntime(setup({ use: { broken } }), dir, async (client) => {
    await expect(client.broken.getOrCreate(["b"]).ping()).rejects.toMatchObject({ group: "sqlite", code: "migration_failed" });
    await expect(client.broken.get(["b"]).resolve()).rejects.toMatchObject({ code: "not_found" });
  });
  expect(existsSync(join(dir, "actors")) ? readdirSync(join(dir, "actors")) : []).toEqual([]);
});

test("a migration that runs past migrationTimeout fails the start and is rolled back", async () => {
  const dir = tempDir();
  const slow = actor({
    db: db({
      migrationTimeout: 50,
      onMigrate: async (tx) => {
        await tx.execute("CREATE TABLE IF NOT EXISTS t (x)");
        await new Promise((resolve) => setTimeout(resolve, 200));
      },
    }),
    actions: { ping: () => "pong" },
  });
  await withRuntime(setup({ use: { slow } }), dir, async (client) => {
    const failure = await client.slow
      .getOrCreate(["s"])
      .ping()
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ group: "sqlite", code: "migration_failed" });
    expect((failure as Error).cause).toMatchObject({ code: "transaction_expired" });
  });
});
