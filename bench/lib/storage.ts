// The storage a workload measures, named by its `storage` parameter: a SQLite file in the
// workload's temporary folder (Troupe's default), or a fresh schema on the PostgreSQL server at
// DATABASE_URL, dropped at the end.

import pg from "pg";
import { PostgresDriver, SqliteDriver, type StorageDriver } from "troupe";
import type { TempDir } from "./temp-dir.ts";

export type StorageKind = "sqlite" | "postgres";

export function storageKind(text: string): StorageKind {
  if (text === "sqlite" || text === "postgres") return text;
  throw new Error(`Unknown storage ${text}: use sqlite or postgres.`);
}

export function postgresUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("Measuring PostgreSQL needs DATABASE_URL=postgres://user@host:port/database (a server where it may create schemas).");
  return url;
}

/** A schema of its own on the server at DATABASE_URL, and an administrator's pool to use and drop it. */
export class BenchSchema implements AsyncDisposable {
  readonly name = `troupe_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  readonly pool = new pg.Pool({ connectionString: postgresUrl(), max: 2 });

  async [Symbol.asyncDispose](): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS "${this.name}" CASCADE`);
    await this.pool.end();
  }
}

export interface BenchStorage extends AsyncDisposable {
  readonly driver: StorageDriver;
}

export async function openStorage(kind: StorageKind, dir: TempDir): Promise<BenchStorage> {
  if (kind === "sqlite") {
    const driver = new SqliteDriver({ path: dir.file("troupe.db") });
    return { driver, [Symbol.asyncDispose]: () => driver.close() };
  }
  const schema = new BenchSchema();
  const driver = new PostgresDriver({ url: postgresUrl(), schema: schema.name });
  await driver.ready();
  return {
    driver,
    async [Symbol.asyncDispose]() {
      await driver.close();
      await schema[Symbol.asyncDispose]();
    },
  };
}
