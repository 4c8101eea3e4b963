// The SQLite storage driver, the default: one database file in WAL mode holds the actor directory,
// every actor's keys and the alarm index. The connection is synchronous, so a commit runs to its
// end within one call and never interleaves with another on the same connection.

import { ownedBytes } from "../../base/bytes.ts";
import { applyBatch } from "../apply-batch.ts";
import type { ActorListOptions, ActorRecord, Bytes, CommitBatch, DueAlarm, ListOptions, StorageDriver } from "../driver.ts";
import { keyRange, limitOf } from "../key-range.ts";
import type { SqliteConnection } from "../sqlite-connection.ts";
import { openDatabaseFile, type Synchronous } from "./open.ts";
import { migrate } from "./schema.ts";
import { type ActorRow, SqliteStatements } from "./statements.ts";

export interface SqliteDriverOptions {
  /** The database file; its folder is created when missing. */
  path: string;
  /**
   * "full" (the default) syncs the log on every commit, so an acknowledged write survives a power
   * loss; "normal" syncs at checkpoints only: writes survive a crash of the process, not of the machine.
   * The actors' own databases (`c.db`) use the same setting.
   */
  synchronous?: Synchronous;
}

export class SqliteDriver implements StorageDriver {
  readonly kind = "sqlite";
  readonly path: string;
  readonly synchronous: Synchronous;
  readonly #connection: SqliteConnection;
  readonly #sql: SqliteStatements;

  constructor(options: SqliteDriverOptions) {
    this.path = options.path;
    this.synchronous = options.synchronous ?? "full";
    this.#connection = openDatabaseFile(options.path, this.synchronous);
    try {
      migrate(this.#connection, options.path);
      this.#sql = new SqliteStatements(this.#connection);
    } catch (error) {
      this.#connection.close();
      throw error;
    }
  }

  async getActorById(id: string): Promise<ActorRecord | undefined> {
    const row = this.#sql.actorById(id);
    return row && toRecord(row);
  }

  async getActorByKey(name: string, key: readonly string[]): Promise<ActorRecord | undefined> {
    const row = this.#sql.actorByKey(name, JSON.stringify(key));
    return row && toRecord(row);
  }

  async listActors(options: ActorListOptions = {}): Promise<ActorRecord[]> {
    return this.#sql.listActors(options.name ?? null, options.after ?? null, sqlLimit(options.limit)).map(toRecord);
  }

  async get(actorId: string, keys: Bytes[]): Promise<Array<Bytes | undefined>> {
    return keys.map((key) => {
      const value = this.#sql.value(actorId, key);
      return value && ownedBytes(value);
    });
  }

  async list(actorId: string, options: ListOptions = {}): Promise<Array<[Bytes, Bytes]>> {
    const range = keyRange(options);
    const limit = sqlLimit(options.limit);
    if (range === undefined || limit === 0) return [];
    const rows = this.#sql.listKeys(actorId, range, options.reverse ?? false, limit);
    return rows.map(([key, value]) => [ownedBytes(key), ownedBytes(value)]);
  }

  async commit(batches: CommitBatch[]): Promise<Array<Error | undefined>> {
    if (batches.length === 0) return [];
    // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and then
    // writes can fail with SQLITE_BUSY when another process wrote in between, without waiting.
    return this.#connection.transaction(() => batches.map((batch) => applyBatch(this.#sql, batch)));
  }

  async dueAlarms(upTo: number, limit: number): Promise<DueAlarm[]> {
    const count = sqlLimit(limit);
    return count === 0 ? [] : this.#sql.dueAlarms(upTo, count);
  }

  async nextAlarm(): Promise<number | undefined> {
    return this.#sql.nextAlarm();
  }

  async close(): Promise<void> {
    this.#connection.close();
  }
}

/** Opens (creating when missing) the SQLite database at `path`. */
export function openSqlite(path: string, options: Omit<SqliteDriverOptions, "path"> = {}): SqliteDriver {
  return new SqliteDriver({ ...options, path });
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
