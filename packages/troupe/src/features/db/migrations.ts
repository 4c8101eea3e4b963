// `migrations()`: an `onMigrate` that applies numbered SQL migrations once each, in order, and
// records them in a table. Imported from troupe/db, or from troupe/unstable/migrations (the path
// RivetKit apps use).

import { errors } from "../../base/errors.ts";
import type { SqlExecutor } from "./types.ts";

export interface Migration {
  /** A positive integer; migrations apply in ascending order, each once. */
  version: number;
  /** One or more statements. */
  sql: string;
}

export interface MigrationsConfig {
  migrations: readonly Migration[];
  /** The table that records the applied versions. Default "_migrations". */
  tableName?: string;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An `onMigrate` for `db({ onMigrate: migrations({ migrations: [{ version: 1, sql }] }) })`. */
export function migrations(config: MigrationsConfig): (db: SqlExecutor) => Promise<void> {
  const table = config.tableName ?? "_migrations";
  if (!TABLE_NAME.test(table)) throw errors.config(`migrations(): tableName "${table}" must be a plain SQL identifier.`);
  const sorted = [...config.migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((migration, index) => {
    if (!Number.isInteger(migration.version) || migration.version < 1) {
      throw errors.config(`migrations(): version ${migration.version} must be a positive integer.`);
    }
    if (index > 0 && sorted[index - 1]!.version === migration.version) {
      throw errors.config(`migrations(): version ${migration.version} is given twice.`);
    }
  });
  return async (db) => {
    await db.execute(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`);
    const rows = await db.execute<{ version: number }>(`SELECT MAX(version) AS version FROM ${table}`);
    const current = rows[0]?.version ?? 0;
    for (const migration of sorted) {
      if (migration.version <= current) continue;
      await db.execute(migration.sql);
      await db.execute(`INSERT INTO ${table} (version, applied_at) VALUES (?, ?)`, migration.version, Date.now());
    }
  };
}
