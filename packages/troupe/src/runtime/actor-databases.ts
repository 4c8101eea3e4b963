// Where actors' own databases live, for each storage: files beside the SQLite storage file,
// in-memory databases that live as long as the memory storage, or PostgreSQL with a local copy on
// the node that runs the actor. The db feature reaches them through its ActorDatabases interface;
// only this composition knows the drivers' files and tables.

import type { ActorDatabases } from "../features/db/databases.ts";
import type { SqliteConnection } from "../storage/sqlite-connection.ts";
import type { ActorDatabaseLog } from "../storage/postgres/database-log.ts";
import type { SqliteBinding } from "../storage/sqlite/binding.ts";
import { actorDatabaseFile } from "../storage/sqlite/actor-files.ts";
import { openDatabaseFile, openInMemory, removeDatabaseFile, type Synchronous } from "../storage/sqlite/open.ts";
import { LocalCopies } from "./local-copies.ts";
import { type CopyTag, ShippedDatabase } from "./shipped-database.ts";

type Exists = (actorId: string) => Promise<boolean>;

/** Each actor's database is a file of its own, `actors/<actorId>.db` beside the storage file, in WAL mode. */
export function databaseFiles(storagePath: string, synchronous: Synchronous, exists: Exists, binding?: SqliteBinding): ActorDatabases {
  return {
    store(actorId) {
      const path = actorDatabaseFile(storagePath, actorId);
      return {
        open: async () => openDatabaseFile(path, synchronous, binding),
        close: (connection) => connection.close(),
        remove: async () => removeDatabaseFile(path),
      };
    },
    exists,
  };
}

/** In-memory databases, left open when their actor sleeps: the connection is where the data lives. */
export function databasesInMemory(exists: Exists): ActorDatabases {
  const connections = new Map<string, SqliteConnection>();
  return {
    store(actorId) {
      return {
        async open() {
          let connection = connections.get(actorId);
          if (connection === undefined) {
            connection = openInMemory();
            connections.set(actorId, connection);
          }
          return connection;
        },
        close() {},
        async remove() {
          connections.get(actorId)?.close();
          connections.delete(actorId);
        },
      };
    },
    exists,
  };
}

/**
 * Databases kept in PostgreSQL (cluster mode), each with a local copy in a folder of this process's
 * own: another process on the same machine may run the same actor later, and must not share a file
 * with one that still runs it. Closed copies take at most `localCacheBytes` of disk; the folder goes
 * when the runtime shuts down.
 */
export function databasesInPostgres(
  log: ActorDatabaseLog,
  localCacheBytes: number,
  exists: Exists,
  binding?: SqliteBinding,
): ActorDatabases {
  const copies = new LocalCopies<CopyTag>(localCacheBytes);
  return {
    store: (actorId, owner) => new ShippedDatabase(log, copies, actorId, owner, binding),
    exists,
    close: () => copies.close(),
  };
}
