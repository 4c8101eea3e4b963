// Where actors' databases live for each storage (ACTOR_DATABASES, built by the runtime from the
// driver): files beside the SQLite storage file, in-memory databases with the memory driver.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { actor, setup } from "troupe";
import { db } from "troupe/db";
import { afterEach, beforeEach, describe, expect, it, test } from "vitest";
import type { ActorDatabases } from "../../src/features/db/databases.ts";
import { actorDatabasesOf } from "../../src/runtime/storage-config.ts";
import type { StorageDriver } from "../../src/storage/driver.ts";
import { MemoryDriver } from "../../src/storage/memory/driver.ts";
import type { SqliteConnection } from "../../src/storage/sqlite-connection.ts";
import { SqliteDriver } from "../../src/storage/sqlite/driver.ts";

const dirs: string[] = [];
const drivers: StorageDriver[] = [];
afterEach(async () => {
  for (const driver of drivers.splice(0)) await driver.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sqliteDriver(): SqliteDriver {
  const dir = mkdtempSync(join(tmpdir(), "troupe-databases-test-"));
  dirs.push(dir);
  const driver = new SqliteDriver({ path: join(dir, "troupe.db") });
  drivers.push(driver);
  return driver;
}

/** Files and memory check no epoch: any owner will do. */
const owner = { epoch: 1, creating: false };

const open = {
  sqlite: sqliteDriver,
  memory: () => new MemoryDriver(),
};

describe.each(["sqlite", "memory"] as const)("the actor databases of the %s storage", (storage) => {
  let driver: StorageDriver;
  let databases: ActorDatabases;
  const store = (actorId: string) => databases.store(actorId, owner);
  const count = (db: SqliteConnection) => db.prepare<{ n: number }>("SELECT count(*) AS n FROM t").get()?.n;

  beforeEach(() => {
    driver = open[storage]();
    databases = actorDatabasesOf(driver)!;
  });
  afterEach(async () => {
    // Closes the in-memory databases; the SQLite files go with their folder.
    for (const id of ["a", "ab"]) await store(id).remove();
  });

  it("keeps a database's data from one open to the next", async () => {
    const s = store("a");
    const first = await s.open();
    first.exec("CREATE TABLE t (x)");
    first.prepare("INSERT INTO t VALUES (?)").run(1);
    first.transaction(() => first.prepare("INSERT INTO t VALUES (?)").run(2));
    s.close(first);
    const second = await s.open();
    expect(count(second)).toBe(2);
    s.close(second);
  });

  it("gives every actor a database of its own", async () => {
    const a = await store("a").open();
    const ab = await store("ab").open();
    a.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    expect(ab.prepare("SELECT name FROM sqlite_schema").all()).toEqual([]);
    store("a").close(a);
    store("ab").close(ab);
  });

  it("remove deletes the database: the next open starts empty", async () => {
    const s = store("a");
    const db = await s.open();
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    s.close(db);
    await s.remove();
    const again = await s.open();
    expect(again.prepare("SELECT name FROM sqlite_schema").all()).toEqual([]);
    s.close(again);
    // Removing what does not exist is not an error.
    await s.remove();
    await store("never-opened").remove();
  });

  it("the same driver gives the same databases to every runtime over it", async () => {
    const db = await store("a").open();
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    store("a").close(db);
    const again = await actorDatabasesOf(driver)!.store("a", owner).open();
    expect(count(again)).toBe(1);
    actorDatabasesOf(driver)!.store("a", owner).close(again);
  });
});

describe("actorDatabasesOf", () => {
  it("puts the SQLite storage's databases in actors/<id>.db beside the storage file", async () => {
    const driver = sqliteDriver();
    const store = actorDatabasesOf(driver)!.store("a1", owner);
    store.close(await store.open());
    expect(existsSync(join(driver.path, "..", "actors", "a1.db"))).toBe(true);
    await store.remove();
    expect(existsSync(join(driver.path, "..", "actors", "a1.db"))).toBe(false);
  });

  it("refuses an actor id that cannot name a file", () => {
    expect(() => actorDatabasesOf(sqliteDriver())!.store("../a", owner)).toThrow(/cannot name a database file/);
  });

  it("tells whether the actor still exists", async () => {
    const driver = new MemoryDriver();
    await driver.commit([{ actorId: "a", epoch: 1, create: { id: "a", name: "n", key: [], createdAt: 0, epoch: 1 } }]);
    const databases = actorDatabasesOf(driver)!;
    expect([await databases.exists("a"), await databases.exists("b")]).toEqual([true, false]);
  });

  it("gives any other driver no databases", () => {
    expect(actorDatabasesOf(customDriver())).toBeUndefined();
  });
});

test("an actor with a database cannot start on a driver that keeps none: sqlite.unavailable", async () => {
  const logged: Array<{ err?: { group?: string; code?: string } }> = [];
  const logger = pino({ level: "error" }, { write: (line: string) => logged.push(JSON.parse(line)) });
  const notes = actor({ db: db(), actions: { ping: () => "pong" } });
  const runtime = setup({ use: { notes } }).createRuntime(customDriver(), logger);
  try {
    // The error is internal (a deployment mistake), so the caller sees it sanitized and the log has it.
    await expect(runtime.client.notes.getOrCreate(["a"]).ping()).rejects.toMatchObject({ code: "internal_error" });
    expect(logged.map((entry) => `${entry.err?.group}.${entry.err?.code}`)).toContain("sqlite.unavailable");
  } finally {
    await runtime.shutdown();
  }
});

/** A driver of one's own (here over the memory driver): the runtime knows nothing of it but its interface. */
function customDriver(): StorageDriver {
  const inner = new MemoryDriver();
  return {
    kind: "custom",
    getActorById: (id) => inner.getActorById(id),
    getActorByKey: (name, key) => inner.getActorByKey(name, key),
    listActors: (options) => inner.listActors(options),
    get: (actorId, keys) => inner.get(actorId, keys),
    list: (actorId, options) => inner.list(actorId, options),
    commit: (batches) => inner.commit(batches),
    dueAlarms: (upTo, limit) => inner.dueAlarms(upTo, limit),
    nextAlarm: () => inner.nextAlarm(),
    close: () => inner.close(),
  };
}
