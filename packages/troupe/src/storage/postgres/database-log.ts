// Where actors' own databases are durable in cluster mode: each commit's WAL frames as one version
// of a log, and a snapshot of pages that compaction folds the log into, in PostgreSQL beside the
// actor's key-value rows. Every write checks the writer's epoch, as key-value commits do.

import { ActorError } from "../../base/errors.ts";
import { fenced } from "../commit-errors.ts";
import type { Connection } from "./connection.ts";
import { type DatabaseQueries, databaseQueries } from "./database-queries.ts";

export interface PageImage {
  pageNo: number;
  data: Uint8Array;
}

/** What an actor's database is in PostgreSQL: rebuilt by writing `pages`, then `logs` in order, cut to `pageCount` pages. */
export interface StoredDatabase {
  version: number;
  snapshot: number;
  pageSize: number;
  pageCount: number;
  /** Undefined when the caller holds this version already. */
  content: { pages: PageImage[]; logs: Uint8Array[] } | undefined;
}

/** Who writes: the instance's epoch, and whether it is creating the actor (its record is not stored yet). */
export interface DatabaseWriter {
  actorId: string;
  epoch: number;
  creating: boolean;
}

export class ActorDatabaseLog {
  readonly #connection: Promise<Connection>;
  #queries: DatabaseQueries | undefined;

  constructor(connection: Promise<Connection>) {
    this.#connection = connection;
  }

  async #open(): Promise<{ pool: Connection["pool"]; sql: DatabaseQueries }> {
    const { pool, schema } = await this.#connection;
    this.#queries ??= databaseQueries(schema);
    return { pool, sql: this.#queries };
  }

  /**
   * The actor's database, or undefined when it has never shipped a commit. Its content is left
   * out when it is at version `cached`: the caller has that copy.
   */
  async load(actorId: string, cached: number | undefined): Promise<StoredDatabase | undefined> {
    const { pool, sql } = await this.#open();
    const client = await pool.connect();
    try {
      // One snapshot of the three tables, though only a fenced writer could change them meanwhile.
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const head = await client.query<{ version: string; snapshot: string; page_size: number; page_count: number }>({
        ...sql.head,
        values: [actorId],
      });
      const row = head.rows[0];
      let stored: StoredDatabase | undefined;
      if (row !== undefined) {
        stored = {
          version: Number(row.version),
          snapshot: Number(row.snapshot),
          pageSize: row.page_size,
          pageCount: row.page_count,
          content: undefined,
        };
        if (stored.version !== cached) {
          const pages = await client.query<{ page_no: number; data: Buffer }>({ ...sql.pages, values: [actorId] });
          const logs = await client.query<{ frames: Buffer }>({ ...sql.log, values: [actorId, row.snapshot] });
          stored.content = {
            pages: pages.rows.map((page) => ({ pageNo: page.page_no, data: page.data })),
            logs: logs.rows.map((log) => log.frames),
          };
        }
      }
      await client.query("COMMIT");
      return stored;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** Appends `frames` as version `version + 1`; fails with `actor.fenced` when `writer` no longer owns the actor. */
  async ship(writer: DatabaseWriter, version: number, frames: Uint8Array, pageSize: number, pageCount: number): Promise<void> {
    const { pool, sql } = await this.#open();
    const { rows } = await pool.query<{ epoch: string | null; written: number }>({
      ...sql.ship,
      values: [writer.actorId, writer.epoch, writer.creating, version, asBuffer(frames), pageSize, pageCount],
    });
    checkWritten(writer, rows[0], version);
  }

  /** Makes the head (`version`) the snapshot: `pages` are the pages changed since the last one. */
  async compact(writer: DatabaseWriter, version: number, pages: PageImage[], pageCount: number): Promise<void> {
    const { pool, sql } = await this.#open();
    const { rows } = await pool.query<{ epoch: string | null; written: number }>({
      ...sql.compact,
      values: [writer.actorId, writer.epoch, version, pages.map((p) => p.pageNo), pages.map((p) => asBuffer(p.data)), pageCount],
    });
    checkWritten({ ...writer, creating: false }, rows[0], version);
  }

  /** Deletes the database of an actor that is not stored (its creation failed); a stored actor's stays. */
  async remove(actorId: string): Promise<void> {
    const { pool, sql } = await this.#open();
    await pool.query({ ...sql.remove, values: [actorId] });
  }
}

function checkWritten(writer: DatabaseWriter, row: { epoch: string | null; written: number } | undefined, version: number): void {
  if (row !== undefined && row.written === 1) return;
  const stored = row?.epoch == null ? undefined : Number(row.epoch);
  if (stored !== writer.epoch && !(stored === undefined && writer.creating)) throw fenced(writer, stored);
  throw new ActorError(
    "storage",
    "error",
    `The database of actor ${writer.actorId} is not at version ${version} in PostgreSQL; nothing was written.`,
    { public: false },
  );
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
