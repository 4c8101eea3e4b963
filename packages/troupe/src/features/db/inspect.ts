// The read side of an actor's database for the inspector: its tables and views with their columns,
// rows page by page, and read-only queries. Every read waits its turn like any other call, so it
// never sees a transaction half done. Shapes follow RivetKit's inspector database routes.

import type { FeatureServices } from "../../actor/feature.ts";
import type { ActorDatabase } from "./actor-database.ts";
import { DB } from "./feature.ts";
import type { SqlArgs, SqlNamedParams, SqlRow, SqlValue } from "./types.ts";

export interface DatabaseColumn {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: unknown;
  pk: number;
}

export interface DatabaseForeignKey {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
  match: string;
}

export interface DatabaseTable {
  table: { schema: "main"; name: string; type: "table" | "view" };
  columns: DatabaseColumn[];
  foreignKeys: DatabaseForeignKey[];
  /** Number of rows. */
  records: number;
}

export interface RowsOptions {
  /** Default 100, at most 10,000. */
  limit?: number;
  offset?: number;
}

const DEFAULT_ROWS = 100;
const MAX_ROWS = 10_000;

export class DatabaseInspector {
  readonly #database: ActorDatabase;

  constructor(database: ActorDatabase) {
    this.#database = database;
  }

  /** Tables and views, by name; SQLite's own (`sqlite_*`) are left out. */
  async tables(): Promise<DatabaseTable[]> {
    const db = this.#database;
    const objects = (await db.query(
      "SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
      [],
    )) as Array<{ name: string; type: "table" | "view" }>;
    const tables: DatabaseTable[] = [];
    for (const { name, type } of objects) {
      const columns = (await db.query("SELECT * FROM pragma_table_info(?)", [name])) as DatabaseColumn[];
      const foreignKeys = (await db.query("SELECT * FROM pragma_foreign_key_list(?)", [name])) as DatabaseForeignKey[];
      const [count] = (await db.query(`SELECT count(*) AS records FROM ${quoteIdentifier(name)}`, [])) as Array<{ records: number }>;
      tables.push({ table: { schema: "main", name, type }, columns, foreignKeys, records: count?.records ?? 0 });
    }
    return tables;
  }

  /** A page of a table's (or view's) rows, in storage order. Resolves to [] for an unknown table. */
  async rows(table: string, options: RowsOptions = {}): Promise<SqlRow[]> {
    const limit = clamp(options.limit ?? DEFAULT_ROWS, 0, MAX_ROWS);
    const offset = clamp(options.offset ?? 0, 0, Number.MAX_SAFE_INTEGER);
    const known = await this.#database.query("SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ?", [table]);
    if (known.length === 0) return [];
    return (await this.#database.query(`SELECT * FROM ${quoteIdentifier(table)} LIMIT ? OFFSET ?`, [limit, offset])) as SqlRow[];
  }

  /** Runs one read-only statement; anything that could write fails with `sqlite.read_only`. */
  async query(sql: string, args: SqlValue[] | SqlNamedParams = []): Promise<SqlRow[]> {
    const bound: SqlArgs = Array.isArray(args) ? args : [args];
    return (await this.#database.query(sql, bound, { readOnly: true })) as SqlRow[];
  }
}

/** The inspector of a running actor's database; undefined when it declares no `db` or is not running. */
export function inspectDatabase(instance: FeatureServices): DatabaseInspector | undefined {
  const database = instance.feature(DB)?.database;
  return database && new DatabaseInspector(database);
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min;
}
