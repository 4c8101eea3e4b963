// The PostgreSQL driver's tables and their migrations, versioned in a table of their own and applied
// when a driver opens, under an advisory lock so that processes opening at once take turns.

import type { PoolClient } from "pg";
import { errors } from "../../base/errors.ts";

/**
 * Migration n (0-based) takes the schema from version n to n + 1. Append; never edit. `$schema` is
 * replaced by the quoted schema name. Text columns use the "C" collation: comparisons are bytewise,
 * so ids sort as in the other drivers and no locale is consulted.
 */
const MIGRATIONS: readonly string[] = [
  `
  -- key is the JSON array of the key's strings, as in the SQLite driver: canonical, so the unique
  -- index compares whole keys, and free of the NUL characters that PostgreSQL's text refuses.
  -- epoch is the fencing token: the epoch of the newest activation that claimed the actor.
  CREATE TABLE $schema.actors (
    id text COLLATE "C" PRIMARY KEY,
    name text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    created_at bigint NOT NULL,
    input bytea,
    epoch bigint NOT NULL,
    UNIQUE (name, key)
  );

  -- bytea compares like memcmp with the shorter key first on a tie: the bytewise order the driver
  -- contract promises, served by the primary key index. No foreign key to actors: every write is
  -- checked against the locked actor row already, and a destroy deletes the rows itself.
  CREATE TABLE $schema.kv (
    actor_id text COLLATE "C" NOT NULL,
    key bytea NOT NULL,
    value bytea NOT NULL,
    PRIMARY KEY (actor_id, key)
  );

  -- at is a double: an alarm is any finite time in ms, and comes back exactly as it was written.
  CREATE TABLE $schema.alarms (
    actor_id text COLLATE "C" PRIMARY KEY,
    at double precision NOT NULL
  );
  CREATE INDEX alarms_at ON $schema.alarms (at, actor_id);
  `,
  `
  -- Cluster mode (docs/cluster.md). A node is one server process; its lease lasts until expires_at,
  -- judged by the database clock, and is renewed by one statement. A node that is gone for good
  -- keeps its row until another node cleans up; an expired row means a dead (or fenced) node.
  CREATE TABLE $schema.nodes (
    id text COLLATE "C" PRIMARY KEY,
    address text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    draining boolean NOT NULL DEFAULT false
  );

  -- The node that may run an actor. The lease lasts as long as its node's (nodes.expires_at), so
  -- one renewal per node extends every lease it holds; a sleeping actor has no row.
  CREATE TABLE $schema.leases (
    actor_id text COLLATE "C" PRIMARY KEY,
    node_id text COLLATE "C" NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX leases_node ON $schema.leases (node_id);

  -- The token nodes show each other on the requests they forward, made by the first node to join.
  CREATE TABLE $schema.cluster_token (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    token text NOT NULL
  );
  `,
  `
  -- Actors' own databases in cluster mode (docs/database-in-cluster-mode.md). The owner runs SQLite
  -- and ships each commit's WAL frames here as the next version of the log; compaction writes the
  -- pages those versions changed (as of version snapshot) and deletes their log rows. A rebuild
  -- is the pages, then the log past the snapshot, cut to page_count pages.
  CREATE TABLE $schema.actor_db_head (
    actor_id text COLLATE "C" PRIMARY KEY,
    version bigint NOT NULL,
    snapshot bigint NOT NULL,
    page_size integer NOT NULL,
    page_count integer NOT NULL
  );
  CREATE TABLE $schema.actor_db_log (
    actor_id text COLLATE "C" NOT NULL,
    version bigint NOT NULL,
    frames bytea NOT NULL,
    PRIMARY KEY (actor_id, version)
  );
  CREATE TABLE $schema.actor_db_pages (
    actor_id text COLLATE "C" NOT NULL,
    page_no integer NOT NULL,
    snapshot bigint NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (actor_id, page_no)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Creates the schema when missing and brings its tables to SCHEMA_VERSION; refuses a newer schema. */
export async function migrate(client: PoolClient, schema: string): Promise<void> {
  const quoted = `"${schema}"`;
  await client.query("BEGIN");
  try {
    // Held until COMMIT: a second process waits here, then finds the work done.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('troupe.migrate'), hashtext($1))", [schema]);
    // CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists, so a role
    // allowed only into a schema made for it by an administrator must not run it.
    const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${quoted}.migrations`);
    const version = rows[0]?.version ?? 0;
    if (version > SCHEMA_VERSION) {
      throw errors.config(`The PostgreSQL schema ${schema} has version ${version}; this version of Troupe reads up to ${SCHEMA_VERSION}.`);
    }
    for (let v = version; v < SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v]!.replaceAll("$schema", quoted));
      await client.query(`INSERT INTO ${quoted}.migrations (version) VALUES ($1)`, [v + 1]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}
