// The storage floor: the same bytes an actor's creation commits, in one row, written and read
// with plain better-sqlite3 on the pragmas of the Troupe SQLite driver (src/storage/sqlite/open.ts).

import Database from "better-sqlite3";
import { encodeCbor } from "../../packages/troupe/src/base/cbor.ts";
import { perSecond } from "../lib/result.ts";

export interface FloorRow {
  id: string;
  name: string;
  key: string;
  createdAt: number;
  epoch: number;
  state: Uint8Array;
}

/** The row of an actor: a record and a counter's state (or another value), as Troupe stores them. */
export function floorRow(key: string, count: number, value: unknown = { count }): FloorRow {
  return {
    id: crypto.randomUUID(),
    name: "counter",
    key: JSON.stringify([key]),
    createdAt: Date.now(),
    epoch: 1,
    state: encodeCbor(value),
  };
}

export class SqliteFloor {
  readonly #db: Database.Database;
  readonly #insertAll: Database.Transaction<(rows: FloorRow[]) => void>;
  readonly #writeAll: Database.Transaction<(rows: Array<{ id: string; state: Uint8Array }>) => void>;
  readonly #putAll: Database.Transaction<(rows: FloorRow[]) => void>;
  readonly #removeAll: Database.Transaction<(ids: string[]) => void>;
  readonly #byKey: Database.Statement<[string, string], FloorRow>;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma("busy_timeout = 5000");
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("synchronous = FULL");
    this.#db.exec(
      "CREATE TABLE IF NOT EXISTS actors (id TEXT PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL, created_at INTEGER NOT NULL, epoch INTEGER NOT NULL, state BLOB NOT NULL)",
    );
    this.#db.exec("CREATE UNIQUE INDEX IF NOT EXISTS actors_name_key ON actors (name, key)");
    const insert = this.#db.prepare<[string, string, string, number, number, Uint8Array]>(
      "INSERT INTO actors (id, name, key, created_at, epoch, state) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const update = this.#db.prepare<[Uint8Array, string]>("UPDATE actors SET state = ? WHERE id = ?");
    this.#insertAll = this.#db.transaction((rows) => {
      for (const r of rows) insert.run(r.id, r.name, r.key, r.createdAt, r.epoch, r.state);
    });
    this.#writeAll = this.#db.transaction((rows) => {
      for (const r of rows) update.run(r.state, r.id);
    });
    const put = this.#db.prepare<[string, string, string, number, number, Uint8Array]>(
      "INSERT INTO actors (id, name, key, created_at, epoch, state) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state",
    );
    this.#putAll = this.#db.transaction((rows) => {
      for (const r of rows) put.run(r.id, r.name, r.key, r.createdAt, r.epoch, r.state);
    });
    const remove = this.#db.prepare<[string]>("DELETE FROM actors WHERE id = ?");
    this.#removeAll = this.#db.transaction((ids) => {
      for (const id of ids) remove.run(id);
    });
    this.#byKey = this.#db.prepare("SELECT * FROM actors WHERE name = ? AND key = ?");
  }

  /** Inserts the rows in one committed transaction. */
  insert(rows: FloorRow[]): void {
    this.#insertAll.immediate(rows);
  }

  /** Rewrites the state of these actors in one committed transaction. */
  writeStates(rows: Array<{ id: string; state: Uint8Array }>): void {
    this.#writeAll.immediate(rows);
  }

  /** Inserts these rows or, for ids already there, rewrites their state, in one committed transaction. */
  put(rows: FloorRow[]): void {
    this.#putAll.immediate(rows);
  }

  /** Deletes these rows in one committed transaction. */
  remove(ids: string[]): void {
    this.#removeAll.immediate(ids);
  }

  read(name: string, key: string): FloorRow | undefined {
    return this.#byKey.get(name, key);
  }

  close(): void {
    this.#db.close();
  }
}

/** Times `work` against `floor`, closes it, and returns `n` per second of that time. */
export function floorRate(floor: SqliteFloor, n: number, work: () => void): number {
  const start = performance.now();
  work();
  const ms = performance.now() - start;
  floor.close();
  return perSecond(n, ms);
}

/** Calls `group(first, count)` for consecutive groups of at most `size` out of `n`. */
export function inGroups(n: number, size: number, group: (first: number, count: number) => void): void {
  for (let first = 0; first < n; first += size) group(first, Math.min(size, n - first));
}
