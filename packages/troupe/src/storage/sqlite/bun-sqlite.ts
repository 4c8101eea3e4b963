// The bun:sqlite binding of SqliteConnection, used on Bun (which cannot load better-sqlite3).
// Loaded on the first open, through the runtime's require: other runtimes have no bun:sqlite.

import {
  type SqliteConnection,
  type SqliteParams,
  type SqliteStatement,
  SeveralStatementsError,
  SqliteBindError,
} from "../sqlite-connection.ts";
import { busyErrorOfNamed } from "./result-codes.ts";
import { hasSeveralStatements } from "./statement-tail.ts";

/** The part of bun:sqlite used here (Bun's types are not a dependency). */
interface BunSqlite {
  Database: new (path: string, options: { create: boolean; strict: boolean }) => Database;
}
interface Database {
  readonly inTransaction: boolean;
  prepare(sql: string): Statement;
  exec(sql: string): void;
  close(): void;
}
interface Statement {
  readonly columnNames: string[];
  readonly readonly?: boolean;
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  values(...params: unknown[]): unknown[][];
  run(...params: unknown[]): { changes: number };
}

let loaded: BunSqlite | null | undefined;

/** bun:sqlite, or undefined outside Bun. */
export function bunSqliteModule(): BunSqlite | undefined {
  if (loaded === undefined) {
    loaded = null;
    if (process.versions.bun !== undefined) {
      loaded = process.getBuiltinModule("node:module").createRequire(import.meta.url)("bun:sqlite") as BunSqlite;
    }
  }
  return loaded ?? undefined;
}

export function openBunSqlite(path: string): SqliteConnection {
  const module = bunSqliteModule();
  if (module === undefined) throw new Error("bun:sqlite is only available on Bun.");
  // strict: named parameters are bound without their sigil, and a missing one is an error.
  return new BunSqliteConnection(new module.Database(path, { create: true, strict: true }));
}

class BunSqliteConnection implements SqliteConnection {
  readonly #db: Database;
  #open = true;

  constructor(db: Database) {
    this.#db = db;
  }

  get open(): boolean {
    return this.#open;
  }

  get inTransaction(): boolean {
    return this.#open && this.#db.inTransaction;
  }

  prepare<Row>(sql: string): SqliteStatement<Row> {
    if (hasSeveralStatements(sql)) throw new SeveralStatementsError("The SQL string holds more than one statement.");
    try {
      return new BunSqliteStatement<Row>(this.#db.prepare(sql));
    } catch (error) {
      throw busyErrorOfNamed(error);
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
    this.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
      throw busyErrorOfNamed(error);
    }
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#db.close();
  }
}

class BunSqliteStatement<Row> implements SqliteStatement<Row> {
  readonly #statement: Statement;

  constructor(statement: Statement) {
    this.#statement = statement;
  }

  get reader(): boolean {
    return this.#statement.columnNames.length > 0;
  }

  get readonly(): boolean {
    return this.#statement.readonly ?? false;
  }

  all(...params: SqliteParams): Row[] {
    return this.#call(() => this.#statement.all(...params) as Row[]);
  }

  get(...params: SqliteParams): Row | undefined {
    // bun:sqlite answers null for no row.
    return this.#call(() => (this.#statement.get(...params) ?? undefined) as Row | undefined);
  }

  values(...params: SqliteParams): unknown[][] {
    return this.#call(() => this.#statement.values(...params));
  }

  run(...params: SqliteParams): { changes: number } {
    return this.#call(() => ({ changes: this.#statement.run(...params).changes }));
  }

  #call<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw errorOf(error);
    }
  }
}

/**
 * The contract's error for what bun:sqlite throws: a value it cannot bind is a TypeError, a wrong
 * number of values or a missing name a plain Error saying so; SQL errors are SQLiteErrors with a `code`.
 */
function errorOf(error: unknown): unknown {
  if (error instanceof TypeError) return new SqliteBindError(error.message, { cause: error });
  if (error instanceof Error && /^(SQLite query expected \d+ values|Missing parameter)/.test(error.message)) {
    return new SqliteBindError(error.message, { cause: error });
  }
  return busyErrorOfNamed(error);
}
