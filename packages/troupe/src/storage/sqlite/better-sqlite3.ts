// The better-sqlite3 binding of SqliteConnection (Node 20, which has no node:sqlite), the only module
// that touches better-sqlite3. The native module is loaded on the first open, not at import, so
// `import "troupe"` loads no addon.

import type BetterSqlite3 from "better-sqlite3";
import {
  type SqliteConnection,
  type SqliteParams,
  type SqliteStatement,
  SeveralStatementsError,
  SqliteBindError,
} from "../sqlite-connection.ts";
import { busyErrorOfNamed } from "./result-codes.ts";

let library: typeof BetterSqlite3 | undefined;

/** Opens (creating when missing) the database at `path`, or an in-memory one for ":memory:". */
export function openBetterSqlite3(path: string): SqliteConnection {
  // A synchronous require through the runtime's module loader: Node 20.16+, Bun and Deno have it.
  library ??= process.getBuiltinModule("node:module").createRequire(import.meta.url)("better-sqlite3") as typeof BetterSqlite3;
  return new BetterSqliteConnection(new library(path));
}

class BetterSqliteConnection implements SqliteConnection {
  readonly #db: BetterSqlite3.Database;
  /** Made once: better-sqlite3 builds a transaction function per call to `transaction`. */
  readonly #immediate: BetterSqlite3.Transaction<(fn: () => unknown) => unknown>;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    this.#immediate = db.transaction((fn: () => unknown) => fn());
  }

  get open(): boolean {
    return this.#db.open;
  }

  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }

  prepare<Row>(sql: string): SqliteStatement<Row> {
    try {
      return new BetterSqliteStatement<Row>(this.#db.prepare(sql));
    } catch (error) {
      if (error instanceof RangeError && error.message.includes("more than one statement")) {
        throw new SeveralStatementsError(error.message, { cause: error });
      }
      throw error;
    }
  }

  exec(sql: string): void {
    try {
      this.#db.exec(sql);
    } catch (error) {
      throw busyErrorOfNamed(error);
    }
  }

  transaction<T>(fn: () => T): T {
    try {
      return this.#immediate.immediate(fn) as T;
    } catch (error) {
      throw busyErrorOfNamed(error);
    }
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

class BetterSqliteStatement<Row> implements SqliteStatement<Row> {
  readonly #statement: BetterSqlite3.Statement<unknown[], unknown>;
  /** better-sqlite3 returns arrays or objects by a mode of the statement, switched only when it changes. */
  #arrays = false;

  constructor(statement: BetterSqlite3.Statement<unknown[], unknown>) {
    this.#statement = statement;
  }

  get reader(): boolean {
    return this.#statement.reader;
  }

  get readonly(): boolean {
    return this.#statement.readonly;
  }

  all(...params: SqliteParams): Row[] {
    this.#rowsAsArrays(false);
    try {
      return this.#statement.all(...params) as Row[];
    } catch (error) {
      throw errorOf(error);
    }
  }

  get(...params: SqliteParams): Row | undefined {
    this.#rowsAsArrays(false);
    try {
      return this.#statement.get(...params) as Row | undefined;
    } catch (error) {
      throw errorOf(error);
    }
  }

  values(...params: SqliteParams): unknown[][] {
    this.#rowsAsArrays(true);
    try {
      return this.#statement.all(...params) as unknown[][];
    } catch (error) {
      throw errorOf(error);
    }
  }

  run(...params: SqliteParams): { changes: number } {
    try {
      return this.#statement.run(...params);
    } catch (error) {
      throw errorOf(error);
    }
  }

  #rowsAsArrays(arrays: boolean): void {
    if (this.#arrays === arrays) return;
    this.#statement.raw(arrays);
    this.#arrays = arrays;
  }
}

/**
 * The contract's error for what better-sqlite3 throws: it reports parameters it cannot bind as
 * RangeError or TypeError, and SQL errors as SqliteErrors whose `code` names SQLite's result code.
 */
function errorOf(error: unknown): unknown {
  if (error instanceof RangeError || error instanceof TypeError) return new SqliteBindError(error.message, { cause: error });
  return busyErrorOfNamed(error);
}
