// The SQLite driver's schema and its migrations, versioned in PRAGMA user_version.

import { errors } from "../../base/errors.ts";
import type { SqliteConnection } from "../sqlite-connection.ts";

/** Migration n (0-based) takes a database from user_version n to n + 1. Append; never edit. */
const MIGRATIONS: readonly string[] = [
  `
  -- key is the JSON array of the key's strings: JSON.stringify of a string array is canonical,
  -- so the unique index compares whole keys (["a"] and ["a","b"] differ).
  CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    input BLOB,
    epoch INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX actors_name_key ON actors (name, key);

  -- WITHOUT ROWID stores rows in primary-key order, and BLOBs compare with memcmp (shorter first on
  -- a tie), so a range scan returns keys in the bytewise order the driver contract promises.
  CREATE TABLE kv (
    actor_id TEXT NOT NULL,
    key BLOB NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (actor_id, key)
  ) WITHOUT ROWID;

  CREATE TABLE alarms (
    actor_id TEXT PRIMARY KEY,
    at INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- The index carries actor_id too (the table's primary key), so "ORDER BY at, actor_id" uses it.
  CREATE INDEX alarms_at ON alarms (at);
  `,
  `
  -- The process that owns the file (ownership.ts), written when it takes the file, so that a
  -- process refused the file can say which one holds it.
  CREATE TABLE owner (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    since INTEGER NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the schema of the database at `path` to SCHEMA_VERSION; refuses a file written by a newer version of Troupe. */
export function migrate(connection: SqliteConnection, path: string): void {
  // IMMEDIATE takes the write lock before reading user_version, so two processes opening the same
  // new file cannot both run the first migration.
  connection.transaction(() => {
    const version = connection.prepare<{ user_version: number }>("PRAGMA user_version").get()?.user_version ?? 0;
    if (version > SCHEMA_VERSION) {
      throw errors.config(
        `The SQLite database ${path} has schema version ${version}; this version of Troupe reads up to ${SCHEMA_VERSION}.`,
      );
    }
    for (let v = version; v < SCHEMA_VERSION; v++) connection.exec(MIGRATIONS[v]!);
    if (version !== SCHEMA_VERSION) connection.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  });
}
