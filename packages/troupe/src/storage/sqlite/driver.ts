// The SQLite storage driver, the default: one database file in WAL mode holds the actor directory,
// every actor's keys and the alarm index. The connection is synchronous, so a commit runs to its
// end within one call and never interleaves with another on the same connection.

import { ownedBytes } from "../../base/bytes.ts";
import { ActorError } from "../../base/errors.ts";
import { applyBatch } from "../apply-batch.ts";
import type { ActorListOptions, ActorRecord, Bytes, CommitBatch, DueAlarm, ListOptions, StorageDriver } from "../driver.ts";
import { keyRange, limitOf } from "../key-range.ts";
import { retryWhileBusy, type SqliteConnection } from "../sqlite-connection.ts";
import { openBetterSqlite3 } from "./better-sqlite3.ts";
import { openDatabaseFile, type Synchronous } from "./open.ts";
import { ownStorageFile, type StorageOwner, thisProcess } from "./ownership.ts";
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
  /** Gives the file back to other processes (ownership.ts). */
  readonly #release: () => void;
  /** The file opened (device and inode), to notice it was deleted or replaced under us. */
  readonly #file: string;

  /** Throws `storage.locked` when another process owns the file, `storage.cannot_open` when it cannot be written. */
  constructor(options: SqliteDriverOptions) {
    this.path = options.path;
    this.synchronous = options.synchronous ?? "full";
    try {
      this.#release = ownStorageFile(options.path, () => recordedOwner(options.path));
      try {
        this.#connection = openDatabaseFile(options.path, this.synchronous);
        try {
          migrate(this.#connection, options.path);
          this.#sql = new SqliteStatements(this.#connection);
          this.#sql.recordOwner(thisProcess());
          this.#file = fileIdentity(options.path) as string;
        } catch (error) {
          this.#connection.close();
          throw error;
        }
      } catch (error) {
        this.#release();
        throw error;
      }
    } catch (error) {
      throw cannotOpen(options.path, error);
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
    // A write to a file that was deleted or replaced would be lost at the next start.
    this.#assertFile();
    // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and then
    // writes can fail with SQLITE_BUSY when another process wrote in between, without waiting.
    const apply = () => this.#connection.transaction(() => batches.map((batch) => applyBatch(this.#sql, batch)));
    if (this.synchronous === "normal" || !batches.every(isClaimOnly)) return retryWhileBusy(apply, STORAGE);
    // A commit of claims alone (each waking actor's first) is not synced. A claim only has to be
    // seen by this process's other runtimes before the wake reads, and this process alone owns the
    // file: after a crash no activation of this process runs again, and the next synced commit
    // syncs the log up to and including the claim. Waking then costs a read, not a disk flush.
    return retryWhileBusy(() => {
      this.#connection.exec("PRAGMA synchronous = NORMAL");
      try {
        return apply();
      } finally {
        this.#connection.exec("PRAGMA synchronous = FULL");
      }
    }, STORAGE);
  }

  /** Throws `storage.file_missing` once the file was deleted or replaced since it was opened. */
  async check(): Promise<void> {
    this.#assertFile();
  }

  #assertFile(): void {
    if (fileIdentity(this.path) === this.#file) return;
    throw new ActorError(
      "storage",
      "file_missing",
      `The storage file ${this.path} was deleted or replaced while this process had it open; nothing more is written to it, ` +
        "since those writes would be lost. Restore the file (or accept the loss) and restart the process.",
      { metadata: { path: this.path } },
    );
  }

  async dueAlarms(upTo: number, limit: number): Promise<DueAlarm[]> {
    const count = sqlLimit(limit);
    return count === 0 ? [] : this.#sql.dueAlarms(upTo, count);
  }

  async nextAlarm(): Promise<number | undefined> {
    return this.#sql.nextAlarm();
  }

  async actorAlarm(actorId: string): Promise<number | undefined> {
    return this.#sql.actorAlarm(actorId);
  }

  async close(): Promise<void> {
    this.#connection.close();
    this.#release();
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

/** What a `storage.busy` error names. */
const STORAGE = "The storage file";

/** The device and inode of the file at `path`; undefined when there is none. */
function fileIdentity(path: string): string | undefined {
  const stat = process.getBuiltinModule("node:fs").statSync(path, { throwIfNoEntry: false });
  return stat && `${stat.dev}:${stat.ino}`;
}

/** The owner the file records, read to name it to a process it refuses; undefined if unreadable. */
function recordedOwner(path: string): StorageOwner | undefined {
  let connection: SqliteConnection | undefined;
  try {
    connection = openBetterSqlite3(path);
    return connection.prepare<StorageOwner>("SELECT pid, host, since FROM owner WHERE id = 1").get();
  } catch {
    return undefined;
  } finally {
    connection?.close();
  }
}

/** Why the file could not be opened, as a typed error (a Troupe error passes as it is). */
function cannotOpen(path: string, error: unknown): unknown {
  if (error instanceof ActorError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ActorError(
    "storage",
    "cannot_open",
    `Cannot open the storage file ${path} for writing: ${reason}. Troupe writes the file and, beside it, its -wal, -shm and .lock files: ` +
      "check that the folder exists or can be created, is writable by this user, and is not on a read-only or full file system.",
    { cause: error, metadata: { path } },
  );
}

/** SQLite reads a negative LIMIT as "no limit". */
function sqlLimit(limit: number | undefined): number {
  const count = limitOf(limit);
  return count === Number.POSITIVE_INFINITY ? -1 : count;
}

/** A batch that claims its actor and writes nothing else. */
function isClaimOnly(batch: CommitBatch): boolean {
  return (
    batch.claim === true &&
    batch.create === undefined &&
    batch.destroy !== true &&
    batch.alarm === undefined &&
    !batch.puts?.length &&
    !batch.deletes?.length &&
    !batch.deleteRanges?.length
  );
}
