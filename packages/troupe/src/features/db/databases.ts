// Where actors' own databases (`c.db`) live: a resource the runtime provides to the db feature
// (runtime/actor-databases.ts builds it for the storage in use).

import { featureKey } from "../../actor/feature.ts";
import type { SqliteConnection } from "../../storage/sqlite-connection.ts";

/**
 * Where one actor's database lives. It is separate from the actor's key-value namespace: a write to
 * it is durable when its statement (or transaction) returns, not at the next commit. Files and
 * memory are not covered by the epoch check; in cluster mode every commit is (`afterCommit`).
 */
export interface ActorDatabaseStore {
  /** A connection to the database, created empty on first use; in cluster mode it may be downloaded first. */
  open(): Promise<SqliteConnection>;
  /**
   * Makes what the connection committed durable, before the caller learns that it committed and
   * before the next SQL of the actor runs (cluster mode ships it to PostgreSQL). Absent when a
   * commit is durable by itself. When it fails, the database is no longer the durable one.
   */
  afterCommit?(connection: SqliteConnection): Promise<void>;
  /** Gives back a connection from `open`, with no transaction open; the data stays. */
  close(connection: SqliteConnection): void;
  /** Deletes the database and everything in it; its connection has been closed. */
  remove(): Promise<void>;
}

/** The instance whose database a store holds: a store that fences its writes writes with its epoch. */
export interface DatabaseOwner {
  readonly epoch: number;
  /** The actor's record is not stored yet (the instance is creating it). */
  readonly creating: boolean;
}

/** The databases of one storage, by actor id. Creating a store opens nothing. */
export interface ActorDatabases {
  store(actorId: string, owner: DatabaseOwner): ActorDatabaseStore;
  /** Whether the actor still exists (its database is removed only once its destroy is committed). */
  exists(actorId: string): Promise<boolean>;
  /** Frees what the databases hold in this process once no actor runs (a cache folder); the data stays. */
  close?(): void;
}

export const ACTOR_DATABASES = featureKey<ActorDatabases>("db.databases");
