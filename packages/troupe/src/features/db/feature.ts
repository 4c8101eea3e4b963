// The "db" feature: opens the actor's database and migrates it before any lifecycle hook on every
// start, closes it when the actor stops, and deletes it once the actor is destroyed.

import { type Feature, type FeatureServices, featureKey, type StopKind } from "../../actor/feature.ts";
import { retryWhileBusy } from "../../storage/sqlite-connection.ts";
import { ActorDatabase, DATABASE } from "./actor-database.ts";
import { ACTOR_DATABASES, type ActorDatabaseStore } from "./databases.ts";
import { dbErrors } from "./errors.ts";
import type { DatabaseProvider } from "./provider.ts";

export class DatabaseFeature implements Feature {
  readonly #instance: FeatureServices;
  readonly #provider: DatabaseProvider<unknown>;
  #store: ActorDatabaseStore | undefined;
  #database: ActorDatabase | undefined;
  #client: unknown;

  constructor(instance: FeatureServices, provider: DatabaseProvider<unknown>) {
    this.#instance = instance;
    this.#provider = provider;
  }

  /** `c.db`; it fails with `sqlite.closed` once the actor has stopped. */
  get client(): unknown {
    if (this.#database === undefined) throw dbErrors.closed();
    return this.#client;
  }

  /** The open database (the inspector reads through it), or undefined when closed. */
  get database(): ActorDatabase | undefined {
    return this.#database?.closed ? undefined : this.#database;
  }

  async beforeStart(): Promise<void> {
    const instance = this.#instance;
    const databases = instance.resource(ACTOR_DATABASES);
    if (databases === undefined) throw dbErrors.unavailable();
    const store = databases.store(instance.id, instance);
    const connection = await retryWhileBusy(() => store.open(), DATABASE);
    const afterCommit = store.afterCommit?.bind(store, connection);
    const database = new ActorDatabase(
      connection,
      (opened) => store.close(opened),
      afterCommit &&
        (async () => {
          try {
            await afterCommit();
          } catch (error) {
            // The database holds a commit that is not durable: the instance must not run on it.
            instance.lost(error instanceof Error ? error : new Error(String(error)));
            throw error;
          }
        }),
    );
    try {
      await database.transaction((tx) => this.#provider.migrate(tx), {
        timeout: instance.def.options.onMigrateTimeout ?? this.#provider.migrationTimeout,
      });
    } catch (error) {
      database.close();
      instance.log.error({ err: error }, "database migration failed; it was rolled back");
      // A new actor whose first start failed was never stored: its database goes with it.
      if (!(await databases.exists(instance.id))) await store.remove();
      throw dbErrors.migrationFailed(instance.name, error);
    }
    this.#store = store;
    this.#database = database;
    this.#client = await this.#provider.client(database);
  }

  async afterStop(kind: StopKind): Promise<void> {
    const database = this.#database;
    if (database === undefined) return;
    database.close();
    // Only once the destroy is committed: if it failed, the actor still exists and keeps its data.
    if (kind === "destroy" && !(await this.#instance.resource(ACTOR_DATABASES)?.exists(this.#instance.id))) {
      await this.#store?.remove();
    }
  }
}

/** `c.db` of an instance. */
export function actorDatabase(services: FeatureServices): unknown {
  const feature = services.feature(DB);
  if (feature === undefined) throw dbErrors.notConfigured();
  return feature.client;
}

export const DB = featureKey<DatabaseFeature>("db");
