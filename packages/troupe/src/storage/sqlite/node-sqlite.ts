// The node:sqlite binding of SqliteConnection, for runtimes that have the module (Node 22.13+ and
// Deno). Loaded on the first open: on Node 20 the module does not exist.

import {
  type SqliteConnection,
  type SqliteParams,
  type SqliteStatement,
  SeveralStatementsError,
  SqliteBindError,
  SqliteBusyError,
} from "../sqlite-connection.ts";
import { type Explain, statementWrites } from "./explain.ts";
import { isBusyCode } from "./result-codes.ts";
import { hasSeveralStatements } from "./statement-tail.ts";

/** The part of node:sqlite used here (its types are not in @types/node 20). */
interface NodeSqlite {
  DatabaseSync: new (path: string) => DatabaseSync;
}
interface DatabaseSync {
  readonly isOpen?: boolean;
  readonly isTransaction?: boolean;
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
}
interface StatementSync {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number | bigint };
  columns?(): unknown[];
  setReturnArrays?(arrays: boolean): void;
}

let loaded: NodeSqlite | null | undefined;

/** node:sqlite, or undefined where the runtime has none. */
export function nodeSqliteModule(): NodeSqlite | undefined {
  if (loaded === undefined) {
    try {
      // getBuiltinModule answers undefined for a module the runtime lacks or keeps behind a flag.
      loaded = (process.getBuiltinModule as (id: string) => NodeSqlite | undefined)("node:sqlite") ?? null;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

export function openNodeSqlite(path: string): SqliteConnection {
  const module = nodeSqliteModule();
  if (module === undefined) throw new Error("node:sqlite is not available in this runtime.");
  return new NodeSqliteConnection(new module.DatabaseSync(path));
}

class NodeSqliteConnection implements SqliteConnection {
  readonly #db: DatabaseSync;
  #open = true;
  /** Counted here only where the runtime does not say (isTransaction is newer than the module). */
  #depth = 0;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  readonly #explain: Explain = (sql) => this.#db.prepare(sql).all() as Array<{ opcode: string; p2: number }>;

  get open(): boolean {
    return this.#open;
  }

  get inTransaction(): boolean {
    return this.#db.isTransaction ?? this.#depth > 0;
  }

  prepare<Row>(sql: string): SqliteStatement<Row> {
    if (hasSeveralStatements(sql)) throw new SeveralStatementsError("The SQL string holds more than one statement.");
    try {
      return new NodeSqliteStatement<Row>(this.#db.prepare(sql), sql, this.#explain);
    } catch (error) {
      throw busyErrorOf(error);
    }
  }

  exec(sql: string): void {
    try {
      this.#db.exec(sql);
    } catch (error) {
      throw busyErrorOf(error);
    }
  }

  transaction<T>(fn: () => T): T {
    this.exec("BEGIN IMMEDIATE");
    this.#depth++;
    try {
      const result = fn();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#db.isTransaction !== false) this.#db.exec("ROLLBACK");
      throw busyErrorOf(error);
    } finally {
      this.#depth--;
    }
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#db.close();
  }
}

class NodeSqliteStatement<Row> implements SqliteStatement<Row> {
  readonly #statement: StatementSync;
  readonly #sql: string;
  readonly #explain: Explain;
  #arrays = false;

  constructor(statement: StatementSync, sql: string, explain: Explain) {
    this.#statement = statement;
    this.#sql = sql;
    this.#explain = explain;
  }

  get reader(): boolean {
    return (this.#statement.columns?.().length ?? 0) > 0;
  }

  get readonly(): boolean {
    return !statementWrites(this.#explain, this.#sql);
  }

  all(...params: SqliteParams): Row[] {
    this.#rowsAsArrays(false);
    return this.#call(() => this.#statement.all(...params) as Row[]);
  }

  get(...params: SqliteParams): Row | undefined {
    this.#rowsAsArrays(false);
    return this.#call(() => this.#statement.get(...params) as Row | undefined);
  }

  values(...params: SqliteParams): unknown[][] {
    if (this.#statement.setReturnArrays) {
      this.#rowsAsArrays(true);
      return this.#call(() => this.#statement.all(...params) as unknown[][]);
    }
    return this.#call(() => (this.#statement.all(...params) as Record<string, unknown>[]).map((row) => Object.values(row)));
  }

  run(...params: SqliteParams): { changes: number } {
    const { changes } = this.#call(() => this.#statement.run(...params));
    return { changes: Number(changes) };
  }

  #rowsAsArrays(arrays: boolean): void {
    if (this.#arrays === arrays || !this.#statement.setReturnArrays) return;
    this.#statement.setReturnArrays(arrays);
    this.#arrays = arrays;
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
 * The contract's error for what node:sqlite throws: a value it cannot bind is ERR_INVALID_ARG_TYPE,
 * an unknown name ERR_INVALID_STATE, too many values SQLITE_RANGE (25); SQL errors carry `errcode`.
 */
function errorOf(error: unknown): unknown {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  if (code === "ERR_INVALID_ARG_TYPE" || code === "ERR_INVALID_STATE" || errcode === 25) {
    return new SqliteBindError((error as Error).message, { cause: error });
  }
  return busyErrorOf(error);
}

function busyErrorOf(error: unknown): unknown {
  const { errcode, message } = (error ?? {}) as { errcode?: unknown; message?: unknown };
  // Deno's node:sqlite leaves `errcode` out of some errors; SQLite's own messages name the lock then.
  const busy = typeof errcode === "number" ? isBusyCode(errcode) : typeof message === "string" && BUSY_MESSAGE.test(message);
  return busy ? new SqliteBusyError(String(message), { cause: error }) : error;
}

/** SQLite's messages for SQLITE_BUSY and SQLITE_LOCKED. */
const BUSY_MESSAGE = /^database (table |schema )?is locked/;
