// `troupe/db`: each actor's own SQLite database, as `c.db`.

export { type Migration, type MigrationsConfig, migrations } from "./migrations.ts";
export { type DatabaseClientOf, type DatabaseProvider, type DbConfig, db } from "./provider.ts";
export type {
  SqlArgs,
  SqlDatabase,
  SqlExecutor,
  SqlNamedParams,
  SqlRow,
  SqlTransaction,
  SqlValue,
  TransactionOptions,
} from "./types.ts";
