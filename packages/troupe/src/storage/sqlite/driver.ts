// The SQLite storage driver, the default: one database file in WAL mode holds the actor directory,
// every actor's keys and the alarm index. better-sqlite3 is synchronous, so a commit runs to its
// end within one call and never interleaves with another on the same connection.

import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { errors } from "../../base/errors.ts";
import { ownedBytes } from "../../base/bytes.ts";
import { fenced, malformedBatch } from "../commit-errors.ts";
import type {
  ActorListOptions,
  ActorRecord,
  Bytes,
  CommitBatch,
  ActorDatabaseStore,
  DueAlarm,
  ListOptions,
  StorageDriver,
} from "../driver.ts";
import { keyRange, limitOf } from "../key-range.ts";
import { migrate } from "./schema.ts";

export interface SqliteDriverOptions {
  /** The database file; its folder is created when missing. */
  path: string;
  /**
   * "full" (the default) syncs the log on every commit, so an acknowledged write survives a power
   * loss; "normal" syncs at checkpoints only: writes survive a crash of the process, not of the machine.
   * The actors' own databases (`c.db`) use the same setting.
   */
  synchronous?: "full" | "normal";
}

/** How long a statement waits for another process's lock on the file before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/** Actor ids become file names: anything else than these characters is refused. */
const FILE_SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

interface ActorRow {
  id: string;
  name: string;
  key: string;
  created_at: number;
  input: Uint8Array | null;
  epoch: number;
}

export class SqliteDriver implements StorageDriver {
  readonly kind = "sqlite";
  private readonly db: Database.Database;
  private readonly sql: Statements;
  private readonly listStatements = new Map<string, Database.Statement<unknown[], [Uint8Array, Uint8Array]>>();
  private readonly commitAll: Database.Transaction<(batches: CommitBatch[]) => Array<Error | undefined>>;
  private readonly actorDir: string;
  private readonly synchronous: "FULL" | "NORMAL";

  constructor(options: SqliteDriverOptions) {
    mkdirSync(dirname(options.path), { recursive: true });
    this.actorDir = join(dirname(options.path), "actors");
    this.synchronous = options.synchronous === "normal" ? "NORMAL" : "FULL";
    this.db = new Database(options.path);
    try {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.pragma("journal_mode = WAL");
      this.db.pragma(`synchronous = ${this.synchronous}`);
      migrate(this.db);
      this.sql = prepareStatements(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.commitAll = this.db.transaction((batches: CommitBatch[]) => batches.map((batch) => this.apply(batch)));
  }

  async getActorById(id: string): Promise<ActorRecord | undefined> {
    const row = this.sql.actorById.get(id);
    return row && toRecord(row);
  }

  async getActorByKey(name: string, key: readonly string[]): Promise<ActorRecord | undefined> {
    const row = this.sql.actorByKey.get(name, JSON.stringify(key));
    return row && toRecord(row);
  }

  async listActors(options: ActorListOptions = {}): Promise<ActorRecord[]> {
    const rows = this.sql.listActors.all({
      name: options.name ?? null,
      after: options.after ?? null,
      limit: sqlLimit(options.limit),
    });
    return rows.map(toRecord);
  }

  async get(actorId: string, keys: Bytes[]): Promise<Array<Bytes | undefined>> {
    return keys.map((key) => {
      const value = this.sql.getValue.get(actorId, key);
      return value && ownedBytes(value);
    });
  }

  async list(actorId: string, options: ListOptions = {}): Promise<Array<[Bytes, Bytes]>> {
    const range = keyRange(options);
    const limit = sqlLimit(options.limit);
    if (range === undefined || limit === 0) return [];
    const reverse = options.reverse ?? false;
    const params = range.end === undefined ? [actorId, range.start, limit] : [actorId, range.start, range.end, limit];
    const rows = this.listStatement(range.end !== undefined, reverse).all(...params);
    return rows.map(([key, value]) => [ownedBytes(key), ownedBytes(value)]);
  }

  async commit(batches: CommitBatch[]): Promise<Array<Error | undefined>> {
    if (batches.length === 0) return [];
    // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and then
    // writes can fail with SQLITE_BUSY when another process wrote in between, without waiting.
    return this.commitAll.immediate(batches);
  }

  async dueAlarms(upTo: number, limit: number): Promise<DueAlarm[]> {
    const count = sqlLimit(limit);
    return count === 0 ? [] : this.sql.dueAlarms.all(upTo, count);
  }

  async nextAlarm(): Promise<number | undefined> {
    return this.sql.nextAlarm.get() ?? undefined;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Each actor's database is a file of its own, `actors/<actorId>.db` beside the main file, in WAL mode. */
  actorDatabase(actorId: string): ActorDatabaseStore {
    if (!FILE_SAFE_ID.test(actorId)) throw new Error(`The actor id ${JSON.stringify(actorId)} cannot name a database file.`);
    const path = join(this.actorDir, `${actorId}.db`);
    return {
      open: () => {
        mkdirSync(this.actorDir, { recursive: true });
        const db = new Database(path);
        try {
          db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
          db.pragma("journal_mode = WAL");
          db.pragma(`synchronous = ${this.synchronous}`);
        } catch (error) {
          db.close();
          throw error;
        }
        return db;
      },
      close: (db) => db.close(),
      remove: () => {
        for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
      },
    };
  }

  /**
   * One batch, inside the commit's transaction. The epoch check (or the insert of a new record) is
   * the only step that can reject a batch, and it runs before any write: a rejected batch has
   * written nothing, so it needs no savepoint, which keeps the hot path at one statement per check.
   * Any other failure is the storage's own and aborts the whole transaction.
   */
  private apply(batch: CommitBatch): Error | undefined {
    const rejected = malformedBatch(batch) ?? this.checkAndClaim(batch);
    if (rejected) return rejected;
    const { sql } = this;
    const id = batch.actorId;
    if (batch.destroy) {
      sql.deleteAllKeys.run(id);
      sql.clearAlarm.run(id);
      sql.deleteActor.run(id);
      return undefined;
    }
    for (const [start, end] of batch.deleteRanges ?? []) sql.deleteRange.run(id, start, end);
    for (const key of batch.deletes ?? []) sql.deleteKey.run(id, key);
    for (const [key, value] of batch.puts ?? []) sql.put.run(id, key, value);
    if (batch.alarm === null) sql.clearAlarm.run(id);
    else if (batch.alarm !== undefined) sql.setAlarm.run(id, batch.alarm);
    return undefined;
  }

  private checkAndClaim(batch: CommitBatch): Error | undefined {
    const { sql } = this;
    const { create } = batch;
    if (create) {
      const key = JSON.stringify(create.key);
      const inserted = sql.insertActor.run(batch.actorId, create.name, key, create.createdAt, create.input ?? null, batch.epoch);
      return inserted.changes === 0 ? errors.duplicateKey(create.name, create.key) : undefined;
    }
    const ok = batch.claim
      ? sql.claim.run(batch.epoch, batch.actorId, batch.epoch - 1).changes === 1
      : sql.hasEpoch.get(batch.actorId, batch.epoch) !== undefined;
    // Only a rejected batch pays for reading the epoch it lost to.
    return ok ? undefined : fenced(batch, sql.epochOf.get(batch.actorId));
  }

  private listStatement(bounded: boolean, reverse: boolean): Database.Statement<unknown[], [Uint8Array, Uint8Array]> {
    const cacheKey = `${bounded}:${reverse}`;
    let statement = this.listStatements.get(cacheKey);
    if (statement === undefined) {
      const end = bounded ? "AND key < ?" : "";
      statement = this.db
        .prepare<unknown[], [Uint8Array, Uint8Array]>(
          `SELECT key, value FROM kv WHERE actor_id = ? AND key >= ? ${end} ORDER BY key ${reverse ? "DESC" : "ASC"} LIMIT ?`,
        )
        .raw();
      this.listStatements.set(cacheKey, statement);
    }
    return statement;
  }
}

/** Opens (creating when missing) the SQLite database at `path`. */
export function openSqlite(path: string, options: Omit<SqliteDriverOptions, "path"> = {}): SqliteDriver {
  return new SqliteDriver({ ...options, path });
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  return {
    actorById: db.prepare<[string], ActorRow>("SELECT * FROM actors WHERE id = ?"),
    actorByKey: db.prepare<[string, string], ActorRow>("SELECT * FROM actors WHERE name = ? AND key = ?"),
    listActors: db.prepare<{ name: string | null; after: string | null; limit: number }, ActorRow>(
      "SELECT * FROM actors WHERE (@name IS NULL OR name = @name) AND (@after IS NULL OR id > @after) ORDER BY id LIMIT @limit",
    ),
    insertActor: db.prepare<[string, string, string, number, Bytes | null, number]>(
      "INSERT OR IGNORE INTO actors (id, name, key, created_at, input, epoch) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    claim: db.prepare<[number, string, number]>("UPDATE actors SET epoch = ? WHERE id = ? AND epoch = ?"),
    hasEpoch: db.prepare<[string, number], number>("SELECT 1 FROM actors WHERE id = ? AND epoch = ?").pluck(),
    epochOf: db.prepare<[string], number>("SELECT epoch FROM actors WHERE id = ?").pluck(),
    deleteActor: db.prepare<[string]>("DELETE FROM actors WHERE id = ?"),
    getValue: db.prepare<[string, Bytes], Uint8Array>("SELECT value FROM kv WHERE actor_id = ? AND key = ?").pluck(),
    put: db.prepare<[string, Bytes, Bytes]>("INSERT OR REPLACE INTO kv (actor_id, key, value) VALUES (?, ?, ?)"),
    deleteKey: db.prepare<[string, Bytes]>("DELETE FROM kv WHERE actor_id = ? AND key = ?"),
    deleteRange: db.prepare<[string, Bytes, Bytes]>("DELETE FROM kv WHERE actor_id = ? AND key >= ? AND key < ?"),
    deleteAllKeys: db.prepare<[string]>("DELETE FROM kv WHERE actor_id = ?"),
    setAlarm: db.prepare<[string, number]>("INSERT OR REPLACE INTO alarms (actor_id, at) VALUES (?, ?)"),
    clearAlarm: db.prepare<[string]>("DELETE FROM alarms WHERE actor_id = ?"),
    dueAlarms: db.prepare<[number, number], DueAlarm>(
      "SELECT actor_id AS actorId, at FROM alarms WHERE at <= ? ORDER BY at, actor_id LIMIT ?",
    ),
    nextAlarm: db.prepare<[], number | null>("SELECT min(at) FROM alarms").pluck(),
  };
}

function toRecord(row: ActorRow): ActorRecord {
  const record: ActorRecord = {
    id: row.id,
    name: row.name,
    key: JSON.parse(row.key) as string[],
    createdAt: row.created_at,
    epoch: row.epoch,
  };
  if (row.input !== null) record.input = ownedBytes(row.input);
  return record;
}

/** SQLite reads a negative LIMIT as "no limit". */
function sqlLimit(limit: number | undefined): number {
  const count = limitOf(limit);
  return count === Number.POSITIVE_INFINITY ? -1 : count;
}
