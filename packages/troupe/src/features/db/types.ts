// The public shape of `c.db` without an ORM: SQL in, row objects out.

/** A value SQLite can bind: booleans become 0 or 1, undefined becomes NULL. */
export type SqlValue = string | number | bigint | boolean | null | undefined | Uint8Array | ArrayBuffer;

/** A row as SQLite returns it: numbers, bigints (past 2^53 only when asked), strings, Buffers (BLOBs) and nulls. */
export type SqlRow = Record<string, unknown>;

/** Named parameters, bound to `:name`, `@name` or `$name` in the SQL (keys with or without the sigil). */
export type SqlNamedParams = Record<string, SqlValue>;

/** Positional parameters (`?`), or one object of named parameters. */
export type SqlArgs = SqlValue[] | [SqlNamedParams];

export interface SqlExecutor {
  /**
   * Runs one statement and returns its rows (none for a statement that returns no data). A string
   * of several statements runs as a script when it has no parameters, and returns no rows.
   */
  execute<Row extends object = SqlRow>(sql: string, ...args: SqlArgs): Promise<Row[]>;
}

/** The handle of a running transaction: statements through it run inside the transaction. */
export interface SqlTransaction extends SqlExecutor {
  /** A nested transaction (a savepoint): rolled back alone if `fn` throws. */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T> | T): Promise<T>;
}

export interface TransactionOptions {
  /** Past this many ms the transaction is rolled back and fails with `sqlite.transaction_expired`. Default 60 s. */
  timeout?: number;
}

/** `c.db` when declared with `db()` from troupe/db. */
export interface SqlDatabase extends SqlExecutor {
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Other
   * calls to this database wait until it ends (first come, first served), so nothing interleaves
   * with it. Inside `fn`, use `tx`: the outer database would wait for the transaction itself.
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T> | T, options?: TransactionOptions): Promise<T>;
}
