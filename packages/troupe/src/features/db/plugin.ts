// The actor's own SQL database as a feature: the `db` key of `actor({...})` and `c.db`.

import type { FeaturePlugin } from "../../actor/feature.ts";
import { duration } from "../../actor/options.ts";
import { errors } from "../../base/errors.ts";
import { DB_ERROR_CODES } from "./errors.ts";
import { actorDatabase, DB, DatabaseFeature } from "./feature.ts";
import { type DatabaseClientOf, fromClientProvider, isClientProvider, isDatabaseProvider } from "./provider.ts";

export type { DatabaseClientOf };

declare module "../../actor/config.ts" {
  interface ActorConfig<S, CP, CS, V, I, A, Q, DB> {
    /** The actor's own SQLite database, as `c.db`: `db()` from troupe/db, or from troupe/db/drizzle. */
    db?: DB;
  }
}

declare module "../../actor/options.ts" {
  interface ActorOptions {
    /** Longest the database migration of a start may run, in ms; wins over the provider's own. Default 30 s. */
    onMigrateTimeout?: number;
  }
}

declare module "../../actor/context.ts" {
  interface ActorContext<S, CP, CS, V, Q, DB> {
    /** The actor's own SQL database, declared with `db: db({...})`; it is open from before the first hook until the actor stops. */
    readonly db: DatabaseClientOf<DB>;
  }
}

export const dbFeature: FeaturePlugin<DatabaseFeature> = {
  key: DB,
  errorCodes: DB_ERROR_CODES,
  // No default: without it the provider's migrationTimeout (default 30 s) applies.
  options: { onMigrateTimeout: { default: undefined, check: duration(0).check } },
  config: {
    db: (value) => {
      if (!isDatabaseProvider(value) && !isClientProvider(value)) {
        throw errors.config("`db` must come from db() in troupe/db (or troupe/db/drizzle), or be a provider { createClient, onMigrate }.");
      }
    },
  },
  context: { db: (_c, services) => actorDatabase(services) },
  create(services) {
    const provider = services.def.config.db;
    if (isDatabaseProvider(provider)) return new DatabaseFeature(services, provider);
    return isClientProvider(provider) ? new DatabaseFeature(services, fromClientProvider(provider)) : undefined;
  },
};
