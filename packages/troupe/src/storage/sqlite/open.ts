// Opening SQLite databases: the storage file and the actors' own databases, set up alike so that
// a committed transaction in either is as durable as the other.

import type { SqliteConnection } from "../sqlite-connection.ts";
import { openConnection, type SqliteBinding } from "./binding.ts";

/**
 * "full" syncs the log on every commit, so a committed write survives a power loss; "normal" syncs
 * at checkpoints only: writes survive a crash of the process, not of the machine.
 */
export type Synchronous = "full" | "normal";

/** Opens (creating it and its folder when missing) the database file at `path`, in WAL mode. */
export function openDatabaseFile(path: string, synchronous: Synchronous, binding?: SqliteBinding): SqliteConnection {
  const { mkdirSync } = process.getBuiltinModule("node:fs");
  const { dirname } = process.getBuiltinModule("node:path");
  mkdirSync(dirname(path), { recursive: true });
  const connection = openConnection(path, binding);
  try {
    // No statement waits for another process's lock: SQLite would wait on the main thread and
    // freeze every actor. It fails at once, and retryWhileBusy (sqlite-connection.ts) waits.
    connection.exec("PRAGMA busy_timeout = 0");
    connection.exec("PRAGMA journal_mode = WAL");
    connection.exec(`PRAGMA synchronous = ${synchronous === "normal" ? "NORMAL" : "FULL"}`);
  } catch (error) {
    connection.close();
    throw error;
  }
  return connection;
}

/** A new, empty database that lives as long as its connection. */
export function openInMemory(binding?: SqliteBinding): SqliteConnection {
  return openConnection(":memory:", binding);
}

/** Deletes a database file with its WAL and shared-memory files; a file that is not there is no error. */
export function removeDatabaseFile(path: string): void {
  const { rmSync } = process.getBuiltinModule("node:fs");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
}
