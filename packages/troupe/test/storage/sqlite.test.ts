import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "../../src/storage/sqlite/schema.ts";
import { openSqlite, SqliteDriver } from "../../src/storage/sqlite/driver.ts";
import { describeDriverConformance } from "./conformance.ts";

const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "troupe-sqlite-test-"));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  expect(tempDirs.filter((dir) => existsSync(dir))).toEqual([]);
});

describeDriverConformance("sqlite", async () => {
  const dir = await tempDir();
  const driver = new SqliteDriver({ path: join(dir, "troupe.db") });
  return {
    driver,
    async cleanup() {
      await driver.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe("SqliteDriver", () => {
  let dir: string;
  const bytes = (value: string) => new TextEncoder().encode(value);

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps data across close and reopen of the same file", async () => {
    const path = join(dir, "troupe.db");
    const first = openSqlite(path);
    const results = await first.commit([
      {
        actorId: "a",
        epoch: 1,
        create: { id: "a", name: "counter", key: ["room"], createdAt: 123, input: bytes("in"), epoch: 1 },
        puts: [[bytes("state"), bytes("42")]],
        alarm: 1_000,
      },
      { actorId: "a", epoch: 2, claim: true },
    ]);
    expect(results).toEqual([undefined, undefined]);
    await first.close();

    const second = openSqlite(path);
    try {
      expect(await second.getActorByKey("counter", ["room"])).toEqual({
        id: "a",
        name: "counter",
        key: ["room"],
        createdAt: 123,
        input: bytes("in"),
        epoch: 2,
      });
      expect(await second.get("a", [bytes("state")])).toEqual([bytes("42")]);
      expect(await second.nextAlarm()).toBe(1_000);
    } finally {
      await second.close();
    }
  });

  it("puts the file in WAL mode and records the schema version", async () => {
    const path = join(dir, "troupe.db");
    const driver = new SqliteDriver({ path, synchronous: "normal" });
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
      await driver.close();
    }
  });

  it("creates the database's parent folders", async () => {
    const path = join(dir, "nested", "deeper", "troupe.db");
    const driver = openSqlite(path);
    await driver.close();
    expect(existsSync(path)).toBe(true);
  });

  it("refuses a database written by a newer schema version", async () => {
    const path = join(dir, "troupe.db");
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqlite(path)).toThrow(/schema version/);
  });

  it("applies none of a commit's batches when the storage fails part way", async () => {
    const path = join(dir, "troupe.db");
    const driver = openSqlite(path);
    const create = (id: string) => ({ actorId: id, epoch: 1, create: { id, name: "n", key: [id], createdAt: 0, epoch: 1 } });
    try {
      expect(await driver.commit([create("a"), create("b")])).toEqual([undefined, undefined]);
      // A trigger stands in for a disk or I/O error on the second batch's write.
      const db = new Database(path);
      db.exec("CREATE TRIGGER fail BEFORE INSERT ON kv WHEN NEW.key = x'dead' BEGIN SELECT RAISE(ABORT, 'injected'); END");
      db.close();
      const failing = driver.commit([
        { actorId: "a", epoch: 1, puts: [[bytes("k"), bytes("a")]], alarm: 5 },
        { actorId: "b", epoch: 1, puts: [[new Uint8Array([0xde, 0xad]), bytes("b")]] },
      ]);
      await expect(failing).rejects.toThrow(/injected/);
      expect(await driver.get("a", [bytes("k")])).toEqual([undefined]);
      expect(await driver.nextAlarm()).toBeUndefined();
      expect(await driver.commit([{ actorId: "a", epoch: 1, puts: [[bytes("k"), bytes("after")]] }])).toEqual([undefined]);
      expect(await driver.get("a", [bytes("k")])).toEqual([bytes("after")]);
    } finally {
      await driver.close();
    }
  });

  it("fences a second driver on the same file once a newer activation claimed the actor", async () => {
    const path = join(dir, "troupe.db");
    const older = openSqlite(path);
    const newer = openSqlite(path);
    try {
      await older.commit([{ actorId: "a", epoch: 1, create: { id: "a", name: "n", key: [], createdAt: 0, epoch: 1 } }]);
      expect(await newer.commit([{ actorId: "a", epoch: 2, claim: true }])).toEqual([undefined]);
      const [error] = await older.commit([{ actorId: "a", epoch: 1, puts: [[bytes("k"), bytes("v")]] }]);
      expect(error).toMatchObject({ group: "actor", code: "fenced" });
    } finally {
      await older.close();
      await newer.close();
    }
  });
});
