// An actor's database on PostgreSQL storage, store by store: every commit shipped as WAL frames
// under the epoch check, a copy rebuilt elsewhere from the log alone or from a snapshot and the
// log, byte for byte the file it was shipped from; fenced and oversized commits kept nowhere.

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteConnection } from "../../src/storage/sqlite-connection.ts";
import { LocalCopies } from "../../src/runtime/local-copies.ts";
import { COMPACT_AT, type CopyTag, MAX_COMMIT_BYTES, ShippedDatabase } from "../../src/runtime/shipped-database.ts";
import { openPostgres, type PostgresDriver } from "../../src/storage/postgres/driver.ts";
import { usePostgres } from "../support/postgres.ts";
import { tempDir } from "../support/temp-dir.ts";

const postgres = usePostgres();

/** A file's size and SHA-256: what "the same bytes" is checked by (comparing megabytes element by element is slow). */
const digest = (path: string) => {
  const bytes = readFileSync(path);
  return { size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
};

describe("ShippedDatabase", () => {
  let driver: PostgresDriver;
  let schema: string;
  const owner = { epoch: 1, creating: false };

  beforeEach(async () => {
    schema = postgres.server.newSchema();
    driver = await openPostgres({ url: postgres.server.url, schema });
    await driver.commit([{ actorId: "a", epoch: 1, create: { id: "a", name: "notes", key: [], createdAt: 0, epoch: 1 } }]);
  });
  afterEach(async () => {
    await driver.close();
    await postgres.server.dropSchema(schema);
  });

  /** The local copies of a node: a folder of their own, and a budget that keeps them all unless told. */
  const copiesOfNode = (budget = 1024 ** 3) => new LocalCopies<CopyTag>(budget, tempDir("troupe-shipped-"));
  /** A store of actor "a" with its local copy in a folder of its own, as on another node. */
  const node = () => {
    const copies = copiesOfNode();
    return { copies, path: copies.pathOf("a"), store: new ShippedDatabase(driver.databaseLog, copies, "a", owner, undefined) };
  };
  /** Runs `sql` as ActorDatabase does: the statement, then the shipment of what it committed. */
  const run = async (store: ShippedDatabase, connection: SqliteConnection, sql: string) => {
    connection.exec(sql);
    await store.afterCommit(connection);
  };
  const rows = (connection: SqliteConnection) => connection.prepare("SELECT id, length(body) AS size FROM notes ORDER BY id").all();
  const integrity = (connection: SqliteConnection) => connection.prepare("PRAGMA integrity_check").all();
  /** Another node rebuilds the database from PostgreSQL: the same rows, sound, byte for byte the original. */
  const expectRebuiltOnAnotherNode = async (originalPath: string, rowsBefore: unknown) => {
    const second = node();
    const rebuilt = await second.store.open();
    expect(rows(rebuilt)).toEqual(rowsBefore);
    expect(integrity(rebuilt)).toEqual([{ integrity_check: "ok" }]);
    second.store.close(rebuilt);
    expect(digest(second.path)).toEqual(digest(originalPath));
  };
  const table = async (name: string) =>
    (await postgres.server.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".${name} WHERE actor_id = 'a'`)).rows[0]!.n;
  const head = async () =>
    (await postgres.server.query<{ version: string; snapshot: string }>(`SELECT version, snapshot FROM "${schema}".actor_db_head`)).rows[0];

  it("ships each commit as one version; another node rebuilds the same file from the log alone", async () => {
    const first = node();
    const db = await first.store.open();
    await run(first.store, db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB)");
    for (let i = 0; i < 5; i++) await run(first.store, db, `INSERT INTO notes (body) VALUES (randomblob(${100 * i}))`);
    await run(first.store, db, "DELETE FROM notes WHERE id = 2");
    const before = rows(db);
    expect(await head()).toEqual({ version: "7", snapshot: "0" });
    expect(await table("actor_db_log")).toBe(7);
    first.store.close(db);

    await expectRebuiltOnAnotherNode(first.path, before);
  });

  it("compacts a long log into a snapshot, and rebuilds from the snapshot and the log after it", async () => {
    const first = node();
    const db = await first.store.open();
    await run(first.store, db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB)");
    const blob = 1024 * 1024;
    const compacted = Math.ceil(COMPACT_AT.bytes / blob);
    for (let i = 0; i < compacted; i++) await run(first.store, db, `INSERT INTO notes (body) VALUES (randomblob(${blob}))`);
    // The commit that passed the limit compacted: its version is the snapshot, and the log is empty.
    expect(await head()).toEqual({ version: String(compacted + 1), snapshot: String(compacted + 1) });
    expect(await table("actor_db_log")).toBe(0);
    await run(first.store, db, "DELETE FROM notes WHERE id = 1");
    await run(first.store, db, "INSERT INTO notes (body) VALUES ('after the snapshot')");
    expect(await table("actor_db_log")).toBe(2);
    const before = rows(db);
    first.store.close(db);

    await expectRebuiltOnAnotherNode(first.path, before);
  });

  it("reuses a local copy closed at the durable version, and goes on shipping from it", async () => {
    const { path, store } = node();
    const db = await store.open();
    await run(store, db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB)");
    store.close(db);
    expect(JSON.parse(readFileSync(`${path}.tag`, "utf8"))).toMatchObject({ version: 1 });
    const again = await store.open();
    // In use, the copy is untagged: a crash now leaves a file that is never reused.
    expect(existsSync(`${path}.tag`)).toBe(false);
    await run(store, again, "INSERT INTO notes (body) VALUES ('second life')");
    store.close(again);
    expect(await head()).toEqual({ version: "2", snapshot: "0" });
    const other = node();
    const rebuilt = await other.store.open();
    expect(rows(rebuilt)).toEqual([{ id: 1, size: 11 }]);
    other.store.close(rebuilt);
  });

  describe("with a disk budget for the local copies", () => {
    const ids = ["b", "c", "d", "e"];
    beforeEach(async () => {
      await driver.commit(ids.map((id) => ({ actorId: id, epoch: 1, create: { id, name: "notes", key: [id], createdAt: 0, epoch: 1 } })));
    });
    /** Opens actor `id`'s store on `copies` and writes a note of `bytes` random bytes. */
    const write = async (copies: LocalCopies<CopyTag>, id: string, bytes: number) => {
      const store = new ShippedDatabase(driver.databaseLog, copies, id, owner, undefined);
      const db = await store.open();
      await run(store, db, "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body BLOB)");
      await run(store, db, `INSERT INTO notes (body) VALUES (randomblob(${bytes}))`);
      return { store, db };
    };
    /** The size a copy of one note of `bytes` takes once closed, measured on a node of its own. */
    const copySize = async (bytes: number) => {
      const probe = copiesOfNode();
      const { store, db } = await write(probe, "a", bytes);
      store.close(db);
      await driver.databaseLog.remove("a");
      return probe.bytes;
    };

    it("evicts the least recently closed copies past the budget; an evicted one is rebuilt with all its data", async () => {
      const size = await copySize(32 * 1024);
      const copies = copiesOfNode(Math.floor(2.5 * size));
      const rowsOf: Record<string, unknown> = {};
      for (const id of ids) {
        const { store, db } = await write(copies, id, 32 * 1024);
        rowsOf[id] = rows(db);
        store.close(db);
      }
      expect(ids.map((id) => existsSync(copies.pathOf(id)))).toEqual([false, false, true, true]);
      expect(ids.map((id) => existsSync(`${copies.pathOf(id)}.tag`))).toEqual([false, false, true, true]);
      expect(copies.bytes).toBe(2 * size);
      // The evicted "b" is rebuilt from PostgreSQL; closing it again evicts the oldest copy left, "d".
      const store = new ShippedDatabase(driver.databaseLog, copies, "b", owner, undefined);
      const db = await store.open();
      expect(rows(db)).toEqual(rowsOf.b);
      expect(integrity(db)).toEqual([{ integrity_check: "ok" }]);
      store.close(db);
      expect(ids.map((id) => existsSync(copies.pathOf(id)))).toEqual([true, false, false, true]);
    });

    it("never evicts an open copy, however old; a budget of 0 keeps no closed one", async () => {
      const size = await copySize(32 * 1024);
      const copies = copiesOfNode(Math.floor(1.5 * size));
      // "b" is closed first, then opened again from its copy: the oldest, but in use.
      const first = await write(copies, "b", 32 * 1024);
      first.store.close(first.db);
      const open = await write(copies, "b", 32 * 1024);
      for (const id of ["c", "d"]) {
        const { store, db } = await write(copies, id, 32 * 1024);
        store.close(db);
      }
      expect(["b", "c", "d"].map((id) => existsSync(copies.pathOf(id)))).toEqual([true, false, true]);
      await run(open.store, open.db, "INSERT INTO notes (body) VALUES ('still here')");
      const before = rows(open.db);
      expect(before).toHaveLength(3);
      open.store.close(open.db);

      const none = copiesOfNode(0);
      const store = new ShippedDatabase(driver.databaseLog, none, "b", owner, undefined);
      const db = await store.open();
      expect(rows(db)).toEqual(before);
      store.close(db);
      expect(existsSync(none.pathOf("b"))).toBe(false);
      expect(none.bytes).toBe(0);
    });
  });

  it("rejects a commit of an instance whose actor was claimed since: actor.fenced, kept nowhere", async () => {
    const first = node();
    const db = await first.store.open();
    await run(first.store, db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB)");
    await run(first.store, db, "INSERT INTO notes (body) VALUES ('acknowledged')");
    // Another activation claims the actor.
    await driver.commit([{ actorId: "a", epoch: 2, claim: true }]);
    await expect(run(first.store, db, "INSERT INTO notes (body) VALUES ('late')")).rejects.toMatchObject({
      group: "actor",
      code: "fenced",
    });
    expect(await head()).toEqual({ version: "2", snapshot: "0" });
    // Nothing more ships from it, and its copy, ahead of PostgreSQL, is discarded.
    await expect(first.store.afterCommit(db)).rejects.toMatchObject({ code: "fenced" });
    first.store.close(db);
    const reopened = await new ShippedDatabase(driver.databaseLog, first.copies, "a", { epoch: 2, creating: false }, undefined).open();
    expect(rows(reopened)).toEqual([{ id: 1, size: 12 }]);
    reopened.close();
  });

  it("ships the commits of many actors together; a fenced one among them fails alone", async () => {
    const ids = ["b", "c", "d"];
    await driver.commit(ids.map((id) => ({ actorId: id, epoch: 1, create: { id, name: "notes", key: [id], createdAt: 0, epoch: 1 } })));
    const copies = copiesOfNode();
    const stores = ids.map((id) => new ShippedDatabase(driver.databaseLog, copies, id, owner, undefined));
    const dbs = await Promise.all(stores.map((store) => store.open()));
    await Promise.all(stores.map((store, i) => run(store, dbs[i]!, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB)")));
    await driver.commit([{ actorId: "c", epoch: 2, claim: true }]);
    // Started in the same turn: the first ships at once, the others together once it is done.
    const outcomes = await Promise.allSettled(stores.map((store, i) => run(store, dbs[i]!, "INSERT INTO notes (body) VALUES ('x')")));
    expect(outcomes.map((o) => (o.status === "fulfilled" ? "shipped" : `${o.reason.group}.${o.reason.code}`))).toEqual([
      "shipped",
      "actor.fenced",
      "shipped",
    ]);
    const { rows } = await postgres.server.query<{ actor_id: string; version: string }>(
      `SELECT actor_id, version FROM "${schema}".actor_db_head WHERE actor_id = ANY($1) ORDER BY actor_id`,
      [ids],
    );
    expect(rows).toEqual([
      { actor_id: "b", version: "2" },
      { actor_id: "c", version: "1" },
      { actor_id: "d", version: "2" },
    ]);
    for (const [i, store] of stores.entries()) store.close(dbs[i]!);
  });

  it("refuses a commit larger than the limit: sqlite.commit_too_large, nothing shipped", async () => {
    const { store } = node();
    const db = await store.open();
    await run(store, db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB)");
    await expect(run(store, db, `INSERT INTO notes (body) VALUES (zeroblob(${MAX_COMMIT_BYTES + 1}))`)).rejects.toMatchObject({
      group: "sqlite",
      code: "commit_too_large",
    });
    expect(await head()).toEqual({ version: "1", snapshot: "0" });
    store.close(db);
  });

  it("a destroy deletes the database's rows with the actor's record, in its commit", async () => {
    const { store } = node();
    const db = await store.open();
    await run(store, db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB)");
    for (let i = 0; i < Math.ceil(COMPACT_AT.bytes / (1024 * 1024)); i++) {
      await run(store, db, "INSERT INTO notes (body) VALUES (randomblob(1024 * 1024))");
    }
    await run(store, db, "INSERT INTO notes (body) VALUES ('in the log')");
    const counts = async () => [await table("actor_db_head"), await table("actor_db_log"), (await table("actor_db_pages")) > 0];
    expect(await counts()).toEqual([1, 1, true]);
    store.close(db);
    expect(await driver.commit([{ actorId: "a", epoch: 1, destroy: true }])).toEqual([undefined]);
    expect(await counts()).toEqual([0, 0, false]);
  });
});
