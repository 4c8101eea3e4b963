// Turns the `storage` option of `setup()` into a driver, and tells where the actors' own databases
// (`c.db`) live with a driver.

import { errors } from "../base/errors.ts";
import type { ActorDatabases } from "../features/db/databases.ts";
import { databaseFiles, databasesInMemory } from "./actor-databases.ts";
import type { StorageDriver } from "../storage/driver.ts";
import { MemoryDriver } from "../storage/memory/driver.ts";
import { SqliteDriver } from "../storage/sqlite/driver.ts";

export type StorageConfig = { driver: "sqlite"; path?: string; synchronous?: "full" | "normal" } | { driver: "memory" } | StorageDriver;

export const DEFAULT_SQLITE_PATH = ".troupe/troupe.db";

export function openStorage(config: StorageConfig | undefined): StorageDriver {
  const resolved = config ?? { driver: "sqlite" };
  if ("commit" in resolved) return resolved;
  if (resolved.driver === "memory") return new MemoryDriver();
  if (resolved.driver === "sqlite") {
    const { resolve } = process.getBuiltinModule("node:path");
    const path = resolve(resolved.path ?? process.env.TROUPE_STORAGE_PATH ?? DEFAULT_SQLITE_PATH);
    return new SqliteDriver({ path, synchronous: resolved.synchronous });
  }
  throw errors.config(`Unknown storage driver "${String((resolved as { driver: unknown }).driver)}"; use "sqlite" or "memory".`);
}

/** The in-memory databases of each memory driver: they live as long as it does, across runtimes. */
const memoryDatabases = new WeakMap<MemoryDriver, ActorDatabases>();

/**
 * Where actor databases live with `driver`: files beside the SQLite storage file, in memory with
 * the memory driver; any other driver keeps none (an actor with `db` fails with `sqlite.unavailable`).
 */
export function actorDatabasesOf(driver: StorageDriver): ActorDatabases | undefined {
  const exists = async (actorId: string) => (await driver.getActorById(actorId)) !== undefined;
  if (driver instanceof SqliteDriver) return databaseFiles(driver.path, driver.synchronous, exists);
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
