// Where actors' own databases are durable in cluster mode: each commit's WAL frames as one version
// of a log, and a snapshot of pages that compaction folds the log into, in PostgreSQL beside the
// actor's key-value rows. Every write checks the writer's epoch, as key-value commits do, and the
// commits of many actors ship together: one statement in flight, the next gathering what comes
// meanwhile (as the group commit of key-value writes does).

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

/** A group ships at most this many bytes of frames (a commit larger than it ships alone). */
const GROUP_BYTES = 16 * 1024 * 1024;

interface Shipment {
  writer: DatabaseWriter;
  version: number;
  frames: Buffer;
  pageSize: number;
  pageCount: number;
  settle: (error: Error | undefined) => void;
}

interface WriteResult {
  epoch: string | null;
  written: boolean;
}

export class ActorDatabaseLog {
  readonly #connection: Promise<Connection>;
  #queries: DatabaseQueries | undefined;
  #waiting: Shipment[] = [];
  #shipping = false;

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

  /**
   * Appends `frames` as version `version + 1`; fails with `actor.fenced` when `writer` no longer
   * owns the actor. An actor has one shipment at a time (its database's lock sees to it).
   */
  ship(writer: DatabaseWriter, version: number, frames: Uint8Array, pageSize: number, pageCount: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (error: Error | undefined) => (error === undefined ? resolve() : reject(error));
      this.#waiting.push({ writer, version, frames: asBuffer(frames), pageSize, pageCount, settle });
      if (!this.#shipping) void this.#shipWaiting();
    });
  }

  async #shipWaiting(): Promise<void> {
    this.#shipping = true;
    try {
      while (this.#waiting.length > 0) {
        let bytes = 0;
        let count = 0;
        while (count < this.#waiting.length && (count === 0 || bytes + this.#waiting[count]!.frames.byteLength <= GROUP_BYTES)) {
          bytes += this.#waiting[count]!.frames.byteLength;
          count++;
        }
        const group = this.#waiting.splice(0, count);
        try {
          const results = await this.#shipGroup(group);
          for (const { writer, version, settle } of group) settle(checkWritten(writer, results.get(writer.actorId), version));
        } catch (error) {
          for (const shipment of group) shipment.settle(error instanceof Error ? error : new Error(String(error)));
        }
      }
    } finally {
      this.#shipping = false;
    }
  }

  async #shipGroup(group: Shipment[]): Promise<Map<string, WriteResult>> {
    const { pool, sql } = await this.#open();
    const { rows } = await pool.query<WriteResult & { actor_id: string }>({
      ...sql.ship,
      values: [
        group.map((g) => g.writer.actorId),
        group.map((g) => g.writer.epoch),
        group.map((g) => g.writer.creating),
        group.map((g) => g.version),
        group.map((g) => g.frames),
        group.map((g) => g.pageSize),
        group.map((g) => g.pageCount),
      ],
    });
    return new Map(rows.map((row) => [row.actor_id, row]));
  }

  /** Makes the head (`version`) the snapshot: `pages` are the pages changed since the last one. */
  async compact(writer: DatabaseWriter, version: number, pages: PageImage[], pageCount: number): Promise<void> {
    const { pool, sql } = await this.#open();
    const { rows } = await pool.query<WriteResult>({
      ...sql.compact,
      values: [writer.actorId, writer.epoch, version, pages.map((p) => p.pageNo), pages.map((p) => asBuffer(p.data)), pageCount],
    });
    const error = checkWritten({ ...writer, creating: false }, rows[0], version);
    if (error !== undefined) throw error;
  }

  /** Deletes the database of an actor that is not stored (its creation failed); a stored actor's stays. */
  async remove(actorId: string): Promise<void> {
    const { pool, sql } = await this.#open();
    await pool.query({ ...sql.remove, values: [actorId] });
  }
}

/** Why a write was not made: fenced, or a head that is not at `version`; undefined when it was made. */
function checkWritten(writer: DatabaseWriter, row: WriteResult | undefined, version: number): Error | undefined {
  if (row?.written === true) return undefined;
  const stored = row?.epoch == null ? undefined : Number(row.epoch);
  if (stored !== writer.epoch && !(stored === undefined && writer.creating)) return fenced(writer, stored);
  return new ActorError(
    "storage",
    "error",
    `The database of actor ${writer.actorId} is not at version ${version} in PostgreSQL; nothing was written.`,
    { public: false },
  );
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
