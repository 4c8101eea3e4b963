// Where actors' own databases (`c.db`) live: a resource the runtime provides to the db feature
// (runtime/actor-databases.ts builds it for the storage in use).

import { featureKey } from "../../actor/feature.ts";
import type { SqliteConnection } from "../../storage/sqlite-connection.ts";

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
