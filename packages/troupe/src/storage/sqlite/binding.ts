// Which library binds SQLite in this runtime: bun:sqlite on Bun, node:sqlite where the runtime has
// it (Node 22.13+, Deno), better-sqlite3 otherwise (Node 20). Every SQLite connection Troupe opens
// goes through `openConnection`, so the storage file, its lock and the actors' databases share one.

import { errors } from "../../base/errors.ts";
import type { SqliteConnection } from "../sqlite-connection.ts";
import { openBetterSqlite3 } from "./better-sqlite3.ts";
import { bunSqliteModule, openBunSqlite } from "./bun-sqlite.ts";
import { nodeSqliteModule, openNodeSqlite } from "./node-sqlite.ts";

export type SqliteBinding = "better-sqlite3" | "node:sqlite" | "bun:sqlite";
export const SQLITE_BINDINGS: readonly SqliteBinding[] = ["better-sqlite3", "node:sqlite", "bun:sqlite"];

let chosen: SqliteBinding | undefined;

/** The binding used when none is named: the runtime's own SQLite when it has one. */
export function defaultBinding(): SqliteBinding {
  chosen ??= bunSqliteModule() ? "bun:sqlite" : nodeSqliteModule() ? "node:sqlite" : "better-sqlite3";
  return chosen;
}

/** Whether `binding` can be loaded in this runtime. */
export function bindingAvailable(binding: SqliteBinding): boolean {
  if (binding === "bun:sqlite") return bunSqliteModule() !== undefined;
  if (binding === "node:sqlite") return nodeSqliteModule() !== undefined;
  // better-sqlite3 is a native addon built for Node: neither Bun nor Deno can load it.
  return process.versions.bun === undefined && (globalThis as { Deno?: unknown }).Deno === undefined;
}

/** Opens (creating when missing) the database at `path`, or an in-memory one for ":memory:". */
export function openConnection(path: string, binding: SqliteBinding = defaultBinding()): SqliteConnection {
  if (!bindingAvailable(binding)) {
    throw errors.config(
      `The SQLite binding "${binding}" cannot be loaded in this runtime; leave storage.binding unset to use the runtime's own (${defaultBinding()}).`,
    );
  }
  if (binding === "bun:sqlite") return openBunSqlite(path);
  if (binding === "node:sqlite") return openNodeSqlite(path);
  return openBetterSqlite3(path);
}

/** Throws `config.invalid` for a binding name that is not one of ours. */
export function checkBinding(binding: unknown): asserts binding is SqliteBinding | undefined {
  if (binding === undefined || SQLITE_BINDINGS.includes(binding as SqliteBinding)) return;
  throw errors.config(
    `Unknown SQLite binding ${JSON.stringify(binding)}; use ${SQLITE_BINDINGS.map((b) => `"${b}"`).join(", ")} or leave it unset.`,
  );
}
