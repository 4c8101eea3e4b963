// A Drizzle client over an actor's database. Drizzle's sqlite-proxy session hands every query to
// a callback; ours runs it in the database's turn order, or at once inside the transaction it
// belongs to. (Drizzle's better-sqlite3 session runs queries synchronously on the connection, so a
// query could not wait for another call's transaction to end: it would run inside it.)

import type { DrizzleConfig } from "drizzle-orm";
import { type AsyncBatchRemoteCallback, type AsyncRemoteCallback, drizzle, type SqliteRemoteDatabase } from "drizzle-orm/sqlite-proxy";
import type { ActorDatabase, SqlRunner } from "../actor-database.ts";
import type { Transaction } from "../transaction.ts";
import type { SqlExecutor, TransactionOptions } from "../types.ts";

type Schema = Record<string, unknown>;

/** The `tx` of a Drizzle transaction: query builders, `execute`, and nested transactions (savepoints). */
export type DrizzleTransaction<TSchema extends Schema> = Omit<SqliteRemoteDatabase<TSchema>, "transaction"> &
  SqlExecutor & {
    transaction<T>(fn: (tx: DrizzleTransaction<TSchema>) => Promise<T> | T): Promise<T>;
  };

/** `c.db` with troupe/db/drizzle: a Drizzle client, plus `execute` for raw SQL. */
export type DrizzleDatabase<TSchema extends Schema> = Omit<SqliteRemoteDatabase<TSchema>, "transaction"> &
  SqlExecutor & {
    /** Commits when `fn` resolves, rolls back when it throws; other calls wait until it ends. Use `tx` inside. */
    transaction<T>(fn: (tx: DrizzleTransaction<TSchema>) => Promise<T> | T, options?: TransactionOptions): Promise<T>;
  };

export function drizzleDatabase<TSchema extends Schema>(database: ActorDatabase, schema: TSchema | undefined): DrizzleDatabase<TSchema> {
  const client = drizzleOver(database, (fn) => database.transaction(fn), schema);
  return Object.assign(client, {
    execute: database.execute.bind(database),
    transaction: <T>(fn: (tx: DrizzleTransaction<TSchema>) => Promise<T> | T, options?: TransactionOptions) =>
      database.transaction((tx) => fn(drizzleTransaction(tx, schema)), options),
  }) as unknown as DrizzleDatabase<TSchema>;
}

function drizzleTransaction<TSchema extends Schema>(tx: Transaction, schema: TSchema | undefined): DrizzleTransaction<TSchema> {
  const client = drizzleOver(tx, (fn) => tx.transaction(fn), schema);
  return Object.assign(client, {
    execute: tx.execute.bind(tx),
    transaction: <T>(fn: (nested: DrizzleTransaction<TSchema>) => Promise<T> | T) =>
      tx.transaction((nested) => fn(drizzleTransaction(nested, schema))),
  }) as unknown as DrizzleTransaction<TSchema>;
}

/**
 * A sqlite-proxy client whose queries go to `runner`; `atomically` runs a `db.batch` as one
 * transaction (a savepoint inside a transaction).
 */
function drizzleOver<TSchema extends Schema>(
  runner: SqlRunner,
  atomically: <T>(fn: (tx: Transaction) => Promise<T>) => Promise<T>,
  schema: TSchema | undefined,
): SqliteRemoteDatabase<TSchema> {
  const batch: AsyncBatchRemoteCallback = (queries) =>
    atomically(async (tx) => {
      const results: Array<{ rows: unknown[] }> = [];
      for (const query of queries) results.push(await run(tx, query.sql, query.params, query.method));
      return results;
    });
  const config: DrizzleConfig<TSchema> = schema === undefined ? {} : { schema };
  return drizzle<TSchema>((sql, params, method) => run(runner, sql, params, method), batch, config);
}

const run = async (runner: SqlRunner, sql: string, params: unknown[], method: Parameters<AsyncRemoteCallback>[2]) => {
  // Drizzle maps columns by position, so rows come back as arrays; `get` wants the row itself.
  const rows = await runner.query(sql, params, { arrays: true });
  return { rows: method === "get" ? (rows[0] as unknown[]) : rows };
};
