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
  /** Type only: `c.db`'s type (the members that build it are internal, stripped from the declarations). */
  readonly "~client"?: Client;
  /** @internal Runs inside one transaction on every start, before any lifecycle hook. */
  migrate(tx: SqlTransaction): Promise<void>;
  /** @internal Builds `c.db` over the actor's open database. */
  client(database: ActorDatabase): Client | Promise<Client>;
}

/**
 * A hand-written provider, RivetKit's shape: `createClient` builds `c.db` over the actor's
 * database, `onMigrate` migrates through that client on every start (inside one transaction).
 * `db()` from troupe/db has both, so a provider may wrap it.
 */
export interface ClientProvider<Client> {
  createClient(database: SqlDatabase): Client | Promise<Client>;
  onMigrate?(client: Client): unknown;
}

/** `c.db`'s type for an actor whose `db` is `DB`. */
export type DatabaseClientOf<DB> =
  DB extends DatabaseProvider<infer Client> ? Client : DB extends ClientProvider<infer Client> ? Client : never;

export function isClientProvider(value: unknown): value is ClientProvider<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { createClient?: unknown }).createClient === "function";
}

/** A hand-written provider as the db feature runs it. */
export function fromClientProvider<Client>(provider: ClientProvider<Client>): DatabaseProvider<Client> {
  return databaseProvider({
    migrationTimeout: DEFAULT_MIGRATION_TIMEOUT,
    async migrate(tx) {
      // During the migration the client runs on the migration's transaction.
      const client = await provider.createClient({
        execute: (sql, ...args) => tx.execute(sql, ...args),
        transaction: async (fn) => fn(tx),
      });
      await provider.onMigrate?.(client);
    },
    client: (database) =>
      provider.createClient({
        execute: (sql, ...args) => database.execute(sql, ...args),
        transaction: (fn, options) => database.transaction(fn, options),
      }),
  });
}

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
export function db(config: DbConfig = {}): DatabaseProvider<SqlDatabase> & ClientProvider<SqlDatabase> {
  const { onMigrate } = config;
  const provider = databaseProvider<SqlDatabase>({
    migrationTimeout: config.migrationTimeout ?? DEFAULT_MIGRATION_TIMEOUT,
    async migrate(tx) {
      await onMigrate?.(tx);
    },
    client: (database) => ({
      execute: (sql, ...args) => database.execute(sql, ...args),
      transaction: (fn, options) => database.transaction(fn, options),
    }),
  });
  // RivetKit's provider members, for hand-written providers that wrap this one.
  return {
    ...provider,
    createClient: (database) => database,
    onMigrate: async (client) => {
      await onMigrate?.(client);
    },
  };
}
