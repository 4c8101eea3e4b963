// What the `db` key of an actor holds: how to migrate the actor's database on every start, and
// what `c.db` is over it. `db()` here gives plain SQL; troupe/db/drizzle gives a Drizzle client.

import type { ActorDatabase } from "./actor-database.ts";
import type { SqlDatabase, SqlTransaction } from "./types.ts";

/** Default bound on a start's migration, as RivetKit's onMigrateTimeout. */
export const DEFAULT_MIGRATION_TIMEOUT = 30_000;

export interface DatabaseProvider<Client> {
  /** Tells a provider from any other object. */
  readonly kind: "troupe.db";
  /** Longest the migration may run before the start fails, in ms. */
  readonly migrationTimeout: number;
  /** @internal Runs inside one transaction on every start, before any lifecycle hook. */
  migrate(tx: SqlTransaction): Promise<void>;
  /** @internal Builds `c.db` over the actor's open database. */
  client(database: ActorDatabase): Client;
}

/** `c.db`'s type for an actor whose `db` is `DB`. */
export type DatabaseClientOf<DB> = DB extends DatabaseProvider<infer Client> ? Client : never;

/** Builds a provider; for other clients over the same database (troupe/db/drizzle). */
export function databaseProvider<Client>(definition: Omit<DatabaseProvider<Client>, "kind">): DatabaseProvider<Client> {
  return { kind: "troupe.db", ...definition };
}

export function isDatabaseProvider(value: unknown): value is DatabaseProvider<unknown> {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "troupe.db";
}

export interface DbConfig {
  /**
   * Brings the schema up to date. Runs on every start, before `createState`, `onCreate`,
   * `createVars` and `onWake`, inside one transaction: if it throws, nothing it did is kept and
   * the actor does not start. Write it to be run again (`CREATE TABLE IF NOT EXISTS`, or a
   * `PRAGMA user_version` ladder).
   */
  onMigrate?: (db: SqlTransaction) => unknown;
  /** Longest `onMigrate` may run, in ms. Default 30 s. */
  migrationTimeout?: number;
}

/** Gives the actor its own SQLite database as `c.db`: `execute(sql, ...args)` and `transaction(fn)`. */
export function db(config: DbConfig = {}): DatabaseProvider<SqlDatabase> {
  const { onMigrate } = config;
  return databaseProvider({
    migrationTimeout: config.migrationTimeout ?? DEFAULT_MIGRATION_TIMEOUT,
    async migrate(tx) {
      await onMigrate?.(tx);
    },
    client: (database) => ({
      execute: (sql, ...args) => database.execute(sql, ...args),
      transaction: (fn, options) => database.transaction(fn, options),
    }),
  });
}
