// Turns the `storage` option of `setup()` (or, when it names none, TROUPE_STORAGE_URL) into a
// driver, and tells where the actors' own databases (`c.db`) live with a driver.

import { errors } from "../base/errors.ts";
import type { ActorDatabases } from "../features/db/databases.ts";
import { databaseFiles, databasesInMemory, databasesInPostgres } from "./actor-databases.ts";
import type { StorageDriver } from "../storage/driver.ts";
import { MemoryDriver } from "../storage/memory/driver.ts";
import { PostgresDriver, type PostgresDriverOptions } from "../storage/postgres/driver.ts";
import type { SqliteBinding } from "../storage/sqlite/binding.ts";
import { SqliteDriver } from "../storage/sqlite/driver.ts";

export type StorageConfig =
  /** `binding`: the library that binds SQLite; default the runtime's own (docs/runtimes.md). */
  | { driver: "sqlite"; path?: string; synchronous?: "full" | "normal"; binding?: SqliteBinding }
  | { driver: "memory" }
  /** `url`: postgres://user:password@host:port/database; `schema` (default "troupe") holds the tables. */
  | ({ driver: "postgres" } & PostgresDriverOptions)
  | StorageDriver;

export const DEFAULT_SQLITE_PATH = ".troupe/troupe.db";

/**
 * Storage named by one string, as `--storage` and TROUPE_STORAGE_URL take it: a postgres:// or
 * postgresql:// URL, `sqlite:<path>`, or a plain path to a SQLite file.
 */
export function parseStorageUrl(text: string): StorageConfig {
  if (/^postgres(ql)?:\/\//i.test(text)) return { driver: "postgres", url: text };
  const path = text.startsWith("sqlite:") ? text.slice("sqlite:".length) : text;
  // Anything else written like a URL is a mistake, and so is sqlite://..., whose meaning differs between tools.
  if (path === "" || /^([A-Za-z][A-Za-z0-9+.-]*:)?\/\//.test(path)) {
    throw errors.config(
      `Unknown storage ${JSON.stringify(text)}: use postgres://..., sqlite:<path> (e.g. sqlite:./data/troupe.db) or the path of a SQLite file.`,
    );
  }
  return { driver: "sqlite", path };
}

export function openStorage(config: StorageConfig | undefined): StorageDriver {
  const url = process.env.TROUPE_STORAGE_URL;
  const resolved = config ?? (url ? parseStorageUrl(url) : { driver: "sqlite" });
  if ("commit" in resolved) return resolved;
  if (resolved.driver === "memory") return new MemoryDriver();
  if (resolved.driver === "sqlite") {
    const { resolve } = process.getBuiltinModule("node:path");
    const path = resolve(resolved.path ?? process.env.TROUPE_STORAGE_PATH ?? DEFAULT_SQLITE_PATH);
    return new SqliteDriver({ path, synchronous: resolved.synchronous, binding: resolved.binding });
  }
  // Connects in the background: `pg` is loaded only now, and only for this driver.
  if (resolved.driver === "postgres") return new PostgresDriver(resolved);
  throw errors.config(
    `Unknown storage driver "${String((resolved as { driver: unknown }).driver)}"; use "sqlite", "postgres" or "memory".`,
  );
}

/** The in-memory databases of each memory driver: they live as long as it does, across runtimes. */
const memoryDatabases = new WeakMap<MemoryDriver, ActorDatabases>();

/**
 * Where actor databases live with `driver`: files beside the SQLite storage file, in memory with
 * the memory driver, in PostgreSQL (with a local copy) with the PostgreSQL driver; any other driver
 * keeps none (an actor with `db` fails with `sqlite.unavailable`).
 */
export function actorDatabasesOf(driver: StorageDriver): ActorDatabases | undefined {
  const exists = async (actorId: string) => (await driver.getActorById(actorId)) !== undefined;
  if (driver instanceof SqliteDriver) return databaseFiles(driver.path, driver.synchronous, exists, driver.binding);
  if (driver instanceof PostgresDriver) return databasesInPostgres(driver.databaseLog, driver.localCacheBytes, exists);
  if (driver instanceof MemoryDriver) {
    let databases = memoryDatabases.get(driver);
    if (databases === undefined) {
      databases = databasesInMemory(exists);
      memoryDatabases.set(driver, databases);
    }
    return databases;
  }
  return undefined;
}
