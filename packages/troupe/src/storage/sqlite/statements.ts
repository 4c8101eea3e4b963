// The SQL of the SQLite driver, prepared once per connection: the reads the driver answers with and
// the writes of a commit batch (so this is the driver's BatchWriter).

import type { BatchWriter } from "../apply-batch.ts";
import type { ActorRecord, Bytes, DueAlarm } from "../driver.ts";
import type { KeyRange } from "../key-range.ts";
import type { SqliteConnection, SqliteStatement } from "../sqlite-connection.ts";
import type { StorageOwner } from "./ownership.ts";

/** A row of the `actors` table; `key` is the JSON array of the key's strings. */
export interface ActorRow {
  id: string;
  name: string;
  key: string;
  created_at: number;
  input: Uint8Array | null;
  epoch: number;
}

export class SqliteStatements implements BatchWriter {
  readonly #connection: SqliteConnection;
  readonly #actorById: SqliteStatement<ActorRow>;
  readonly #actorByKey: SqliteStatement<ActorRow>;
  readonly #listActors: SqliteStatement<ActorRow>;
  readonly #insertActor: SqliteStatement;
  readonly #claim: SqliteStatement;
  readonly #hasEpoch: SqliteStatement;
  readonly #epochOf: SqliteStatement<{ epoch: number }>;
  readonly #deleteActor: SqliteStatement;
  readonly #getValue: SqliteStatement<{ value: Uint8Array }>;
  readonly #put: SqliteStatement;
  readonly #deleteKey: SqliteStatement;
  readonly #deleteRange: SqliteStatement;
  readonly #deleteAllKeys: SqliteStatement;
  readonly #setAlarm: SqliteStatement;
  readonly #clearAlarm: SqliteStatement;
  readonly #dueAlarms: SqliteStatement<DueAlarm>;
  readonly #nextAlarm: SqliteStatement<{ at: number | null }>;
  readonly #actorAlarm: SqliteStatement<{ at: number }>;
  readonly #recordOwner: SqliteStatement;
  /** The four shapes of a key range scan (bounded or not, either order), prepared on first use. */
  readonly #listKeys = new Map<string, SqliteStatement>();

  constructor(connection: SqliteConnection) {
    this.#connection = connection;
    this.#actorById = connection.prepare("SELECT * FROM actors WHERE id = ?");
    this.#actorByKey = connection.prepare("SELECT * FROM actors WHERE name = ? AND key = ?");
    this.#listActors = connection.prepare(
      "SELECT * FROM actors WHERE (@name IS NULL OR name = @name) AND (@after IS NULL OR id > @after) ORDER BY id LIMIT @limit",
    );
    this.#insertActor = connection.prepare(
      "INSERT OR IGNORE INTO actors (id, name, key, created_at, input, epoch) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.#claim = connection.prepare("UPDATE actors SET epoch = ? WHERE id = ? AND epoch = ?");
    this.#hasEpoch = connection.prepare("SELECT 1 FROM actors WHERE id = ? AND epoch = ?");
    this.#epochOf = connection.prepare("SELECT epoch FROM actors WHERE id = ?");
    this.#deleteActor = connection.prepare("DELETE FROM actors WHERE id = ?");
    this.#getValue = connection.prepare("SELECT value FROM kv WHERE actor_id = ? AND key = ?");
    this.#put = connection.prepare("INSERT OR REPLACE INTO kv (actor_id, key, value) VALUES (?, ?, ?)");
    this.#deleteKey = connection.prepare("DELETE FROM kv WHERE actor_id = ? AND key = ?");
    this.#deleteRange = connection.prepare("DELETE FROM kv WHERE actor_id = ? AND key >= ? AND key < ?");
    this.#deleteAllKeys = connection.prepare("DELETE FROM kv WHERE actor_id = ?");
    this.#setAlarm = connection.prepare("INSERT OR REPLACE INTO alarms (actor_id, at) VALUES (?, ?)");
    this.#clearAlarm = connection.prepare("DELETE FROM alarms WHERE actor_id = ?");
    this.#dueAlarms = connection.prepare("SELECT actor_id AS actorId, at FROM alarms WHERE at <= ? ORDER BY at, actor_id LIMIT ?");
    this.#nextAlarm = connection.prepare("SELECT min(at) AS at FROM alarms");
    this.#actorAlarm = connection.prepare("SELECT at FROM alarms WHERE actor_id = ?");
    this.#recordOwner = connection.prepare("INSERT OR REPLACE INTO owner (id, pid, host, since) VALUES (1, ?, ?, ?)");
  }

  /** Records the process that owns the file, for the message of a process it refuses. */
  recordOwner(owner: StorageOwner): void {
    this.#recordOwner.run(owner.pid, owner.host, owner.since);
  }

  actorById(id: string): ActorRow | undefined {
    return this.#actorById.get(id);
  }

  /** `key` as stored: the JSON array of the key's strings. */
  actorByKey(name: string, key: string): ActorRow | undefined {
    return this.#actorByKey.get(name, key);
  }

  /** `limit` is SQLite's: negative for no limit. */
  listActors(name: string | null, after: string | null, limit: number): ActorRow[] {
    return this.#listActors.all({ name, after, limit });
  }

  value(actorId: string, key: Bytes): Uint8Array | undefined {
    return this.#getValue.get(actorId, key)?.value;
  }

  /** The [key, value] pairs of `range`, as the binding returns them; `limit` is SQLite's. */
  listKeys(actorId: string, range: KeyRange, reverse: boolean, limit: number): Array<[Uint8Array, Uint8Array]> {
    const statement = this.#listStatement(range.end !== undefined, reverse);
    const rows =
      range.end === undefined ? statement.values(actorId, range.start, limit) : statement.values(actorId, range.start, range.end, limit);
    return rows as Array<[Uint8Array, Uint8Array]>;
  }

  /** `limit` is SQLite's. */
  dueAlarms(upTo: number, limit: number): DueAlarm[] {
    return this.#dueAlarms.all(upTo, limit);
  }

  nextAlarm(): number | undefined {
    return this.#nextAlarm.get()?.at ?? undefined;
  }

  actorAlarm(actorId: string): number | undefined {
    return this.#actorAlarm.get(actorId)?.at;
  }

  insertActor(record: ActorRecord, epoch: number): boolean {
    const key = JSON.stringify(record.key);
    return this.#insertActor.run(record.id, record.name, key, record.createdAt, record.input ?? null, epoch).changes === 1;
  }

  claimEpoch(actorId: string, from: number, to: number): boolean {
    return this.#claim.run(to, actorId, from).changes === 1;
  }

  hasEpoch(actorId: string, epoch: number): boolean {
    return this.#hasEpoch.get(actorId, epoch) !== undefined;
  }

  epochOf(actorId: string): number | undefined {
    return this.#epochOf.get(actorId)?.epoch;
  }

  deleteActor(actorId: string): void {
    this.#deleteAllKeys.run(actorId);
    this.#clearAlarm.run(actorId);
    this.#deleteActor.run(actorId);
  }

  deleteRange(actorId: string, start: Bytes, end: Bytes): void {
    this.#deleteRange.run(actorId, start, end);
  }

  deleteKey(actorId: string, key: Bytes): void {
    this.#deleteKey.run(actorId, key);
  }

  put(actorId: string, key: Bytes, value: Bytes): void {
    this.#put.run(actorId, key, value);
  }

  setAlarm(actorId: string, at: number | null): void {
    if (at === null) this.#clearAlarm.run(actorId);
    else this.#setAlarm.run(actorId, at);
  }

  #listStatement(bounded: boolean, reverse: boolean): SqliteStatement {
    const cacheKey = `${bounded}:${reverse}`;
    let statement = this.#listKeys.get(cacheKey);
    if (statement === undefined) {
      const end = bounded ? "AND key < ?" : "";
      statement = this.#connection.prepare(
        `SELECT key, value FROM kv WHERE actor_id = ? AND key >= ? ${end} ORDER BY key ${reverse ? "DESC" : "ASC"} LIMIT ?`,
      );
      this.#listKeys.set(cacheKey, statement);
    }
    return statement;
  }
}
