// `troupe/db/drizzle`: the actor's database as a typed Drizzle client, with Drizzle Kit migrations
// applied on every start before any lifecycle hook.

import { DEFAULT_MIGRATION_TIMEOUT, type DatabaseProvider, databaseProvider } from "../provider.ts";
import type { SqlTransaction } from "../types.ts";
import { type DrizzleDatabase, drizzleDatabase } from "./client.ts";
import { applyMigrations, type DrizzleMigrations, type Migration, migrationsOfBundle, migrationsOfFolder } from "./migrations.ts";

export type { DrizzleDatabase, DrizzleTransaction } from "./client.ts";
export type { DrizzleMigrations } from "./migrations.ts";
// As RivetKit's rivetkit/db/drizzle does, so that schemas import their table builders from here.
export * from "drizzle-orm/sqlite-core";

export interface DrizzleDbConfig<TSchema extends Record<string, unknown>> {
  /** The tables (and relations), for typed queries and `c.db.query.<table>`. */
  schema?: TSchema;
  /** Migrations as drizzle-kit bundles them (`driver: "durable-sqlite"`): `{ journal, migrations }`. */
  migrations?: DrizzleMigrations;
  /** Or a drizzle-kit output folder, read on the first start. */
  migrationsFolder?: string;
  /** Runs after the Drizzle migrations, in the same transaction. */
  onMigrate?: (db: SqlTransaction) => unknown;
  /** Longest the migrations may run, in ms. Default 30 s. */
  migrationTimeout?: number;
}

export function db<TSchema extends Record<string, unknown> = Record<string, never>>(
  config: DrizzleDbConfig<TSchema> = {},
): DatabaseProvider<DrizzleDatabase<TSchema>> {
  const { schema, onMigrate } = config;
  let migrations: Migration[] | undefined;
  const load = (): Migration[] => {
    migrations ??= [
      ...(config.migrations ? migrationsOfBundle(config.migrations) : []),
      ...(config.migrationsFolder ? migrationsOfFolder(config.migrationsFolder) : []),
    ];
    return migrations;
  };
  return databaseProvider({
    migrationTimeout: config.migrationTimeout ?? DEFAULT_MIGRATION_TIMEOUT,
    async migrate(tx) {
      const pending = load();
      if (pending.length > 0) await applyMigrations(tx, pending);
      await onMigrate?.(tx);
    },
    client: (database) => drizzleDatabase<TSchema>(database, schema),
  });
}
