// Where actors' own databases live, for each storage: files beside the SQLite storage file, or
// in-memory databases that live as long as the memory storage. The db feature reaches them through
// its ActorDatabases interface; only this composition knows the SQLite driver's files.

import type { ActorDatabases } from "../features/db/databases.ts";
import type { SqliteConnection } from "../storage/sqlite-connection.ts";
import type { SqliteBinding } from "../storage/sqlite/binding.ts";
import { actorDatabaseFile } from "../storage/sqlite/actor-files.ts";
import { openDatabaseFile, openInMemory, removeDatabaseFile, type Synchronous } from "../storage/sqlite/open.ts";

type Exists = (actorId: string) => Promise<boolean>;

/** Each actor's database is a file of its own, `actors/<actorId>.db` beside the storage file, in WAL mode. */
export function databaseFiles(storagePath: string, synchronous: Synchronous, exists: Exists, binding?: SqliteBinding): ActorDatabases {
  return {
    store(actorId) {
      const path = actorDatabaseFile(storagePath, actorId);
      return {
        open: () => openDatabaseFile(path, synchronous, binding),
        close: (connection) => connection.close(),
        remove: () => removeDatabaseFile(path),
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
        open() {
          let connection = connections.get(actorId);
          if (connection === undefined) {
            connection = openInMemory();
            connections.set(actorId, connection);
          }
          return connection;
        },
        close() {},
        remove() {
          connections.get(actorId)?.close();
          connections.delete(actorId);
        },
      };
    },
    exists,
  };
}
