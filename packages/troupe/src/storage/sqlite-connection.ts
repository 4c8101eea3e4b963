// A SQLite connection as Troupe uses it, whatever library binds SQLite (better-sqlite3 today;
// node:sqlite and bun:sqlite can implement the same interface). Every call is synchronous, and
// none waits for a lock: one held by another process fails at once with SqliteBusyError, and
// `retryWhileBusy` waits for it without blocking the event loop.

import { ActorError } from "../base/errors.ts";
import { delay } from "../base/timers.ts";

/** A value the binding binds and returns. BLOBs come back as a Uint8Array (better-sqlite3: a Buffer). */
export type SqliteValue = string | number | bigint | Uint8Array | null;

/** Positional parameters (`?`), or one object of named ones, its keys without the sigil (`:a` takes `{ a }`). */
export type SqliteParams = SqliteValue[] | [Record<string, SqliteValue>];

export interface SqliteStatement<Row = Record<string, unknown>> {
  /** The statement returns rows (a query, or a write with RETURNING). */
  readonly reader: boolean;
  /** SQLite's own flag: the statement does not write the database file (also true of BEGIN and some PRAGMAs). */
  readonly readonly: boolean;
  /** The rows, as objects keyed by column name; only for a reader. */
  all(...params: SqliteParams): Row[];
  /** The first row, or undefined; only for a reader. */
  get(...params: SqliteParams): Row | undefined;
  /** The rows as arrays of column values, in column order; only for a reader. */
  values(...params: SqliteParams): unknown[][];
  /** Runs the statement to its end; `changes` counts the rows it inserted, updated or deleted. */
  run(...params: SqliteParams): { changes: number };
}

export interface SqliteConnection {
  /** False once closed. */
  readonly open: boolean;
  /** A transaction is open (BEGIN without its COMMIT or ROLLBACK yet). */
  readonly inTransaction: boolean;
  /**
   * Compiles one statement. Throws `SeveralStatementsError` when `sql` holds more than one (only
   * `exec` runs those), and the binding's own error for a syntax error.
   */
  prepare<Row = Record<string, unknown>>(sql: string): SqliteStatement<Row>;
  /** Runs every statement of `sql`, discarding their rows (setting a PRAGMA, a script). */
  exec(sql: string): void;
  /**
   * Runs `fn` in a transaction begun with BEGIN IMMEDIATE (the write lock is taken up front): it
   * commits when `fn` returns and rolls back when it throws. Not for use inside another transaction.
   */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** `prepare` was given a string of several statements. */
export class SeveralStatementsError extends Error {
  override readonly name = "SeveralStatementsError";
}

/**
 * A statement was given parameters it cannot bind: a value of a type SQLite has no column type for,
 * too few or too many values, or a name the statement does not have.
 */
export class SqliteBindError extends Error {
  override readonly name = "SqliteBindError";
}

/** A lock the call needs is held by another connection (SQLITE_BUSY, SQLITE_LOCKED); nothing was done. */
export class SqliteBusyError extends Error {
  override readonly name = "SqliteBusyError";
}

/** How long `retryWhileBusy` keeps trying, and its first and longest pause between two tries. */
export const BUSY_RETRY = { timeoutMs: 5_000, firstPauseMs: 1, longestPauseMs: 100 };

/**
 * Runs `fn`, a piece of SQLite work that either completes or fails having done nothing (a
 * statement, a whole transaction, opening a database), trying it again after a growing pause while another
 * process holds a lock it needs. Connections wait for no lock themselves (busy_timeout 0): SQLite
 * would wait on the main thread and freeze every actor of the process. Past `BUSY_RETRY.timeoutMs`
 * it fails with `storage.busy`, naming `what`.
 */
export async function retryWhileBusy<T>(fn: () => T | Promise<T>, what: string): Promise<T> {
  let waited = 0;
  let pause = BUSY_RETRY.firstPauseMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof SqliteBusyError)) throw error;
      if (waited >= BUSY_RETRY.timeoutMs) throw busyError(what, waited, error);
    }
    await delay(pause);
    waited += pause;
    pause = Math.min(pause * 2, BUSY_RETRY.longestPauseMs);
  }
}

/** `storage.busy`: `what` stayed locked by another process for `waited` ms. */
export function busyError(what: string, waited: number, cause: SqliteBusyError): ActorError {
  return new ActorError(
    "storage",
    "busy",
    `${what} is locked by another process; gave up after ${waited} ms and wrote nothing. Retry it, and check what else opens the file.`,
    { cause, metadata: { waitedMs: waited } },
  );
}
