// The PostgreSQL storage driver: the actor directory, every actor's keys and the alarm index in
// three tables of one schema, shared by every process that opens it. Group commits run in one
// transaction each (commit.ts); reads take any connection of the pool.

import type { QueryConfig, QueryResultRow } from "pg";
import { ownedBytes } from "../../base/bytes.ts";
import type { ActorListOptions, ActorRecord, Bytes, CommitBatch, DueAlarm, ListOptions, StorageDriver } from "../driver.ts";
import { keyRange, limitOf } from "../key-range.ts";
import { commitBatches } from "./commit.ts";
import { type Connection, connect, unavailable } from "./connection.ts";
import { ActorDatabaseLog } from "./database-log.ts";
import type { Queries } from "./queries.ts";
import { localCacheBytes, type PostgresDriverOptions } from "./options.ts";

export type { PostgresDriverOptions };

interface ActorRow {
  id: string;
  name: string;
  key: string;
  created_at: string;
  input: Buffer | null;
  epoch: string;
}

/**
 * Connects in the background from the constructor, so that it can be made where a driver is
 * needed at once (`setup({ storage })`); every call waits for the connection, and fails as it did.
 * `openPostgres` waits for it up front.
 */
export class PostgresDriver implements StorageDriver {
  readonly kind = "postgres";
  /** What it was opened with: cluster mode opens its own connections to the same schema. */
  readonly options: PostgresDriverOptions;
  /**
   * @internal Where actors' own databases (`c.db`) are durable: their shipped commits and
   * snapshots. Internal: its types reach `pg`, which a consumer of the package may not install.
   */
  readonly databaseLog: ActorDatabaseLog;
  /** The disk budget of the local copies of those databases (`localCacheBytes`). */
  readonly localCacheBytes: number;
  readonly #connection: Promise<Connection>;
  #closed: Promise<void> | undefined;

  constructor(options: PostgresDriverOptions) {
    this.options = options;
    this.localCacheBytes = localCacheBytes(options);
    this.#connection = connect(options);
    // The failure is reported to every call that needs the connection; it is not unhandled.
    this.#connection.catch(() => {});
    this.databaseLog = new ActorDatabaseLog(this.#connection);
  }

  /** Resolves once the pool is open and the schema up to date. */
  async ready(): Promise<void> {
    await this.#connection;
  }

  async getActorById(id: string): Promise<ActorRecord | undefined> {
    // PostgreSQL text cannot hold NUL, so no actor has such an id; asking must not fail.
    if (id.includes("\0")) return undefined;
    const rows = await this.#read<ActorRow>((sql) => ({ ...sql.actorById, values: [id] }));
    return rows[0] && toRecord(rows[0]);
  }

  async getActorByKey(name: string, key: readonly string[]): Promise<ActorRecord | undefined> {
    if (name.includes("\0")) return undefined;
    const rows = await this.#read<ActorRow>((sql) => ({ ...sql.actorByKey, values: [name, JSON.stringify(key)] }));
    return rows[0] && toRecord(rows[0]);
  }

  async listActors(options: ActorListOptions = {}): Promise<ActorRecord[]> {
    const values = [options.name ?? null, options.after ?? null, sqlLimit(options.limit)];
    const rows = await this.#read<ActorRow>((sql) => ({ ...sql.listActors, values }));
    return rows.map(toRecord);
  }

  async get(actorId: string, keys: Bytes[]): Promise<Array<Bytes | undefined>> {
    if (keys.length === 0) return [];
    const rows = await this.#read<{ key: Buffer; value: Buffer }>((sql) => ({ ...sql.get, values: [actorId, keys] }));
    const found = new Map(rows.map((row) => [row.key.toString("latin1"), row.value]));
    return keys.map((key) => {
      const value = found.get(Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("latin1"));
      // A key asked for twice gets two arrays of its own.
      return value && new Uint8Array(value);
    });
  }

  async list(actorId: string, options: ListOptions = {}): Promise<Array<[Bytes, Bytes]>> {
    const range = keyRange(options);
    const limit = sqlLimit(options.limit);
    if (range === undefined || limit === 0) return [];
    const order = options.reverse ? "desc" : "asc";
    const values = [actorId, range.start, limit, ...(range.end === undefined ? [] : [range.end])];
    const rows = await this.#read<{ key: Buffer; value: Buffer }>((sql) => ({
      ...(range.end === undefined ? sql.list.open[order] : sql.list.bounded[order]),
      values,
    }));
    return rows.map((row) => [ownedBytes(row.key), ownedBytes(row.value)]);
  }

  async commit(batches: CommitBatch[]): Promise<Array<Error | undefined>> {
    if (batches.length === 0) return [];
    const { pool, sql } = await this.#connection;
    return commitBatches(pool, sql, batches);
  }

  async dueAlarms(upTo: number, limit: number): Promise<DueAlarm[]> {
    const count = sqlLimit(limit);
    if (count === 0) return [];
    const rows = await this.#read<{ actor_id: string; at: number }>((sql) => ({ ...sql.dueAlarms, values: [upTo, count] }));
    return rows.map((row) => ({ actorId: row.actor_id, at: row.at }));
  }

  async nextAlarm(): Promise<number | undefined> {
    const rows = await this.#read<{ at: number | null }>((sql) => sql.nextAlarm);
    return rows[0]?.at ?? undefined;
  }

  async actorAlarm(actorId: string): Promise<number | undefined> {
    const rows = await this.#read<{ at: number }>((sql) => ({ ...sql.actorAlarm, values: [actorId] }));
    return rows[0]?.at;
  }

  /** Runs one read; a connection that fails is `storage.unavailable`. */
  async #read<R extends QueryResultRow>(query: (sql: Queries) => QueryConfig): Promise<R[]> {
    const { pool, sql } = await this.#connection;
    try {
      return (await pool.query<R>(query(sql))).rows;
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** Ends the pool once the queries in flight are done. */
  close(): Promise<void> {
    this.#closed ??= this.#connection.then(
      ({ pool }) => pool.end(),
      () => {},
    );
    return this.#closed;
  }
}

/** Opens the driver and waits until it is connected, failing if it cannot connect or migrate. */
export async function openPostgres(options: PostgresDriverOptions): Promise<PostgresDriver> {
  const driver = new PostgresDriver(options);
  await driver.ready();
  return driver;
}

function toRecord(row: ActorRow): ActorRecord {
  const record: ActorRecord = {
    id: row.id,
    name: row.name,
    key: JSON.parse(row.key) as string[],
    createdAt: Number(row.created_at),
    epoch: Number(row.epoch),
  };
  if (row.input !== null) record.input = ownedBytes(row.input);
  return record;
}

/** A LIMIT value: null (no limit) when unlimited. */
function sqlLimit(limit: number | undefined): number | null {
  const count = limitOf(limit);
  return count === Number.POSITIVE_INFINITY ? null : count;
}
