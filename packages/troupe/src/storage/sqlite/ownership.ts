// One process owns a SQLite storage file at a time. It holds an exclusive lock on `<file>.lock`,
// a small SQLite database kept in EXCLUSIVE locking mode: the lock is the operating system's
// (POSIX advisory), so it goes when its process ends, however it ends, and no stale lock is ever
// left to clean up. A process that is refused names the owner from the storage file's `owner` row.

import { ActorError } from "../../base/errors.ts";
import { type SqliteConnection, SqliteBusyError } from "../sqlite-connection.ts";
import { openConnection, type SqliteBinding } from "./binding.ts";

/** The process that owns a storage file, as it recorded itself there. */
export interface StorageOwner {
  pid: number;
  host: string;
  /** When it took the file (ms since the epoch). */
  since: number;
}

interface Held {
  connection: SqliteConnection;
  users: number;
}

/**
 * Locks held by this process, by lock file. Drivers of one process share a lock: a process owns a
 * file, and two runtimes in it are kept apart by the epochs of their activations.
 */
const held = new Map<string, Held>();

/** This process, as it records itself as a file's owner. */
export function thisProcess(): StorageOwner {
  return { pid: process.pid, host: process.getBuiltinModule("node:os").hostname(), since: Date.now() };
}

/**
 * Takes the storage file `path` for this process; the returned function gives it back. Throws
 * `storage.locked` when another process owns it, naming that process by `owner()`.
 */
export function ownStorageFile(path: string, owner: () => StorageOwner | undefined, binding?: SqliteBinding): () => void {
  const lockPath = `${process.getBuiltinModule("node:path").resolve(path)}.lock`;
  let lock = held.get(lockPath);
  if (lock === undefined) {
    lock = { connection: takeLock(lockPath, path, owner, binding), users: 0 };
    held.set(lockPath, lock);
  }
  lock.users++;
  const taken = lock;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--taken.users > 0) return;
    held.delete(lockPath);
    taken.connection.close();
  };
}

/**
 * The owner recorded by `read`, waited for a little (a refused process is not serving yet, so this
 * wait freezes nothing): the owner records itself just after it takes the lock, and until then the
 * row names the previous owner, whose process is gone, or nobody.
 */
function currentOwner(read: () => StorageOwner | undefined): StorageOwner | undefined {
  let owner = read();
  for (let attempt = 0; attempt < OWNER_WAIT_ATTEMPTS && !(owner && isAlive(owner)); attempt++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, OWNER_WAIT_MS);
    owner = read();
  }
  return owner;
}

const OWNER_WAIT_ATTEMPTS = 20;
const OWNER_WAIT_MS = 25;

/** Whether the owner's process still runs; assumed for another host, which cannot be asked. */
function isAlive(owner: StorageOwner): boolean {
  if (owner.host !== thisProcess().host) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

function takeLock(lockPath: string, path: string, owner: () => StorageOwner | undefined, binding?: SqliteBinding): SqliteConnection {
  process.getBuiltinModule("node:fs").mkdirSync(process.getBuiltinModule("node:path").dirname(lockPath), { recursive: true });
  const connection = openConnection(lockPath, binding);
  try {
    connection.exec("PRAGMA busy_timeout = 0");
    // In EXCLUSIVE locking mode the first write takes the lock and keeps it until the connection closes.
    connection.exec("PRAGMA locking_mode = EXCLUSIVE");
    connection.exec("BEGIN EXCLUSIVE; COMMIT");
    return connection;
  } catch (error) {
    connection.close();
    if (error instanceof SqliteBusyError) throw lockedError(path, currentOwner(owner), error);
    throw error;
  }
}

function lockedError(path: string, owner: StorageOwner | undefined, cause: unknown): ActorError {
  const who = owner
    ? `process ${owner.pid} on host "${owner.host}" (its owner since ${new Date(owner.since).toISOString()})`
    : "another process";
  return new ActorError(
    "storage",
    "locked",
    `The storage file ${path} is in use by ${who}. One process owns a storage file at a time: stop that process, ` +
      "or give this one a storage path of its own (storage.path in setup(), or TROUPE_STORAGE_PATH).",
    { cause, metadata: { path, owner: owner ?? null } },
  );
}
