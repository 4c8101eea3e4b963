// Drizzle Kit migrations, applied inside the start's migration transaction. The bookkeeping table
// is Drizzle's own (`__drizzle_migrations`, newest `created_at` wins), so Drizzle's tools agree
// with us on what has run.

import { createHash } from "node:crypto";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { SqlTransaction } from "../types.ts";

/** What drizzle-kit generates with `driver: "durable-sqlite"` (migrations.js), as RivetKit takes it. */
export interface DrizzleMigrations {
  journal: { entries: ReadonlyArray<{ idx: number; when: number; tag: string; breakpoints: boolean }> };
  /** SQL text by key: `m0000`, `m0001`, ... */
  migrations: Readonly<Record<string, string>>;
}

export interface Migration {
  /** The statements, split at drizzle-kit's breakpoints. */
  statements: string[];
  /** The journal's `when`: migrations newer than the last one recorded are applied. */
  createdAt: number;
  hash: string;
}

const BREAKPOINT = "--> statement-breakpoint";

export function migrationsOfBundle(bundle: DrizzleMigrations): Migration[] {
  return bundle.journal.entries.map((entry) => {
    const sql = bundle.migrations[`m${entry.idx.toString().padStart(4, "0")}`];
    if (sql === undefined) throw new Error(`The migration "${entry.tag}" is in the journal but not in \`migrations\`.`);
    return { statements: sql.split(BREAKPOINT), createdAt: entry.when, hash: createHash("sha256").update(sql).digest("hex") };
  });
}

/** Reads a drizzle-kit output folder (its `meta/_journal.json` and `.sql` files). */
export function migrationsOfFolder(folder: string): Migration[] {
  return readMigrationFiles({ migrationsFolder: folder }).map((meta) => ({
    statements: meta.sql,
    createdAt: meta.folderMillis,
    hash: meta.hash,
  }));
}

export async function applyMigrations(tx: SqlTransaction, migrations: readonly Migration[]): Promise<void> {
  await tx.execute(`CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
  const [last] = await tx.execute<{ created_at: number }>(`SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1`);
  for (const migration of migrations) {
    if (last !== undefined && Number(last.created_at) >= migration.createdAt) continue;
    for (const statement of migration.statements) if (statement.trim() !== "") await tx.execute(statement);
    await tx.execute(`INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES (?, ?)`, migration.hash, migration.createdAt);
  }
}
