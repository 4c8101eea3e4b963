// One actor's open SQL database. The connection runs each statement to its end within one call, so
// statements never interleave; what needs care is a transaction, which spans awaits. It holds a
// FIFO lock for its whole length, and every other call waits its turn behind it. When commits need
// making durable elsewhere (cluster mode), every call holds the lock until its commit is.

import { type AsyncLocalStorage, createAsyncLocalStorage } from "../../base/async-context.ts";
import { withTimeout } from "../../base/timers.ts";
import {
  busyError,
  retryWhileBusy,
  SeveralStatementsError,
  SqliteBindError,
  SqliteBusyError,
  type SqliteConnection,
  type SqliteStatement,
} from "../../storage/sqlite-connection.ts";
import { toBindings } from "./bindings.ts";
import { dbErrors } from "./errors.ts";
import { FifoLock } from "./fifo-lock.ts";
import { StatementCache } from "./statement-cache.ts";
import { Transaction } from "./transaction.ts";
import type { SqlArgs, SqlDatabase, SqlRow, TransactionOptions } from "./types.ts";

/** Calls that may wait behind a transaction, as in RivetKit; past it they fail at once. */
export const MAX_WAITING = 128;
export const DEFAULT_TRANSACTION_TIMEOUT = 60_000;

export interface RunOptions {
  /** Rows as arrays of column values (what Drizzle reads) instead of objects. */
  arrays?: boolean;
  /** Refuse anything but one read-only statement (the inspector's queries). */
  readOnly?: boolean;
}

/** Something that runs SQL: the database itself (in turn) or a transaction (at once, inside it). */
export interface SqlRunner {
  query(sql: string, args: readonly unknown[], options?: RunOptions): Promise<unknown[]>;
}

export class ActorDatabase implements SqlDatabase, SqlRunner {
  readonly #connection: SqliteConnection;
  readonly #release: (connection: SqliteConnection) => void;
  readonly #afterCommit: (() => Promise<void>) | undefined;
  readonly #statements: StatementCache;
  readonly #lock = new FifoLock(MAX_WAITING, () => dbErrors.queueFull(MAX_WAITING));
  /** The transaction whose callback the current async context runs in, to catch use of the outer database there. */
  readonly #inside: AsyncLocalStorage<Transaction> = createAsyncLocalStorage();
  #closed = false;
  /** Why a commit could not be made durable: the connection holds more than the durable copy, so it runs nothing more. */
  #failure: unknown;

  /**
   * `release` gives the connection back to its store once the database is closed; `afterCommit`,
   * when given, makes each commit durable before the call that made it resolves.
   */
  constructor(connection: SqliteConnection, release: (connection: SqliteConnection) => void, afterCommit?: () => Promise<void>) {
    this.#connection = connection;
    this.#release = release;
    this.#afterCommit = afterCommit;
    this.#statements = new StatementCache(connection);
    // SQLite leaves foreign keys unenforced unless asked, which surprises everyone who declares one.
    connection.exec("PRAGMA foreign_keys = ON");
  }

  execute<Row extends object = SqlRow>(sql: string, ...args: SqlArgs): Promise<Row[]> {
    return this.query(sql, args) as Promise<Row[]>;
  }

  /**
   * Runs one statement once every call before it is done. Outside a transaction a statement is
   * its own transaction, so while another process locks the file it is tried again, without
   * blocking the event loop (retryWhileBusy).
   */
  async query(sql: string, args: readonly unknown[], options: RunOptions = {}): Promise<unknown[]> {
    this.#refuseReentry();
    if (this.#lock.free && this.#afterCommit === undefined) return retryWhileBusy(() => this.run(sql, args, options), DATABASE);
    await this.#lock.acquire();
    try {
      return await retryWhileBusy(() => this.run(sql, args, options), DATABASE);
    } finally {
      // Also after a failure: a string of several statements may have committed its first ones.
      try {
        await this.#durable();
      } finally {
        this.#lock.release();
      }
    }
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T> | T, options: TransactionOptions = {}): Promise<T> {
    this.#refuseReentry();
    const timeout = options.timeout ?? DEFAULT_TRANSACTION_TIMEOUT;
    await this.#lock.acquire();
    let tx: Transaction | undefined;
    let expired = false;
    try {
      this.#assertOpen();
      // IMMEDIATE takes the write lock now, so the commit cannot fail for a lock taken meanwhile.
      await retryWhileBusy(() => {
        this.#assertOpen();
        this.#connection.exec("BEGIN IMMEDIATE");
      }, DATABASE);
      const handle = new Transaction(this, timeout);
      tx = handle;
      const work = this.#inside.run(handle, async () => fn(handle));
      const result = await withTimeout(work, timeout, () => {
        expired = true;
        return dbErrors.expired(timeout);
      });
      this.#assertOpen();
      this.#connection.exec("COMMIT");
      handle.end("committed");
      await this.#durable();
      return result;
    } catch (error) {
      if (tx) {
        this.#rollback();
        tx.end(expired ? "expired" : "rolled back");
      }
      throw error;
    } finally {
      this.#lock.release();
    }
  }

  /** Runs one statement now, outside the turn order: for the transaction that holds the lock. */
  run(sql: string, args: readonly unknown[], options: RunOptions): unknown[] {
    this.#assertOpen();
    const bindings = toBindings(args);
    let statement: SqliteStatement;
    try {
      statement = this.#statements.get(sql);
    } catch (error) {
      if (!(error instanceof SeveralStatementsError)) throw error;
      if (options.readOnly) throw dbErrors.readOnly();
      if (args.length > 0) throw dbErrors.invalidBind("A string of several SQL statements takes no parameters; run them one at a time.");
      try {
        this.#connection.exec(sql);
      } catch (error) {
        // Its first statements may have run: trying the whole string again could run them twice.
        if (error instanceof SqliteBusyError) throw busyError(`${DATABASE} (a string of several statements, not retried)`, 0, error);
        throw error;
      }
      return [];
    }
    if (options.readOnly && !isReadOnly(statement, sql)) throw dbErrors.readOnly();
    try {
      if (statement.reader) return options.arrays ? statement.values(...bindings) : statement.all(...bindings);
      statement.run(...bindings);
      return [];
    } catch (error) {
      if (error instanceof SqliteBindError) throw dbErrors.invalidBind(error.message, error);
      throw error;
    }
  }

  /** Closes the connection: waiting calls fail, an open transaction is rolled back. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#lock.rejectAll(dbErrors.closed());
    try {
      this.#rollback();
    } finally {
      this.#release(this.#connection);
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  #rollback(): void {
    if (this.#connection.open && this.#connection.inTransaction) this.#connection.exec("ROLLBACK");
  }

  /** Makes what was committed durable (cluster mode); once that fails, nothing more runs. */
  async #durable(): Promise<void> {
    if (this.#afterCommit === undefined) return;
    // Closed meanwhile: what was committed was not made durable, so it is not acknowledged.
    this.#assertOpen();
    try {
      await this.#afterCommit();
    } catch (error) {
      this.#failure = error;
      throw error;
    }
  }

  #assertOpen(): void {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#closed) throw dbErrors.closed();
  }

  #refuseReentry(): void {
    if (this.#inside.getStore()?.active) throw dbErrors.reentrant();
  }
}

/** What a `storage.busy` error names. */
export const DATABASE = "The actor's database";

/** Leading comments, then the first keyword. */
const FIRST_KEYWORD = /^\s*(?:(?:--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)\s*)*([A-Za-z]+)/;
const READ_KEYWORDS = new Set(["select", "with", "values", "explain"]);

/**
 * SQLite's own `readonly` flag is also true for BEGIN, ATTACH and a few PRAGMAs that change the
 * connection, so the statement must also return rows and start with a query keyword.
 */
function isReadOnly(statement: SqliteStatement, sql: string): boolean {
  const keyword = FIRST_KEYWORD.exec(sql)?.[1]?.toLowerCase();
  return statement.reader && statement.readonly && keyword !== undefined && READ_KEYWORDS.has(keyword);
}
