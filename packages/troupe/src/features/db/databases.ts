// Where actors' own databases (`c.db`) live, a resource the runtime provides to the db feature:
// files beside the SQLite storage file, or in-memory databases that live as long as the memory storage.

import { featureKey } from "../../actor/feature.ts";
import { actorDatabaseFile } from "../../storage/sqlite/actor-files.ts";
import type { SqliteConnection } from "../../storage/sqlite/connection.ts";
import { openDatabaseFile, openInMemory, removeDatabaseFile, type Synchronous } from "../../storage/sqlite/open.ts";

/**
 * Where one actor's database lives. It is separate from the actor's key-value namespace: a write to
 * it is durable when its statement (or transaction) returns, not at the next commit, and it is not
 * covered by the epoch check.
 */
export interface ActorDatabaseStore {
  /** A connection to the database, created empty on first use, as durable as the storage's own commits. */
  open(): SqliteConnection;
  /** Gives back a connection from `open`, with no transaction open; the data stays. */
  close(connection: SqliteConnection): void;
  /** Deletes the database and everything in it; its connection has been closed. */
  remove(): void;
}

/** The databases of one storage, by actor id. Creating a store opens nothing. */
export interface ActorDatabases {
  store(actorId: string): ActorDatabaseStore;
  /** Whether the actor still exists (its database is removed only once its destroy is committed). */
  exists(actorId: string): Promise<boolean>;
}

export const ACTOR_DATABASES = featureKey<ActorDatabases>("db.databases");

type Exists = (actorId: string) => Promise<boolean>;

/** Each actor's database is a file of its own, `actors/<actorId>.db` beside the storage file, in WAL mode. */
export function databaseFiles(storagePath: string, synchronous: Synchronous, exists: Exists): ActorDatabases {
  return {
    store(actorId) {
      const path = actorDatabaseFile(storagePath, actorId);
      return {
        open: () => openDatabaseFile(path, synchronous),
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
