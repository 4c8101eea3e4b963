// The statements over actors' own databases in cluster mode (database-log.ts). A shipment and a
// compaction are one statement each, so one round trip: lock the actor's row, check the epoch,
// and write only when it matches, as the steady commit of key-value batches does.

import type { Query } from "./queries.ts";

export type DatabaseQueries = ReturnType<typeof databaseQueries>;

export function databaseQueries(schema: string) {
  const s = `"${schema}"`;
  const q = (name: string, text: string): Query => ({ name: `troupe_db_${name}`, text });
  /** $1 the actor, $2 the writer's epoch; `unstored`: whether it may write for an actor not stored yet (its creation). */
  const fence = (unstored: string) => `locked AS (SELECT epoch FROM ${s}.actors WHERE id = $1 FOR NO KEY UPDATE),
       ok AS (SELECT 1 WHERE coalesce((SELECT epoch FROM locked) = $2, ${unstored}))`;
  const result = `SELECT (SELECT epoch FROM locked) AS epoch, (SELECT count(*) FROM head)::int AS written`;
  return {
    head: q("head", `SELECT version, snapshot, page_size, page_count FROM ${s}.actor_db_head WHERE actor_id = $1`),
    pages: q("pages", `SELECT page_no, data FROM ${s}.actor_db_pages WHERE actor_id = $1`),
    log: q("log", `SELECT frames FROM ${s}.actor_db_log WHERE actor_id = $1 AND version > $2 ORDER BY version`),
    /**
     * Version $4 + 1 ($3: the writer creates the actor): moves the head from $4 (no head for
     * $4 = 0) and appends the frames $5; $6 and $7 are the page size and the page count after the
     * commit. The log row is written only when the head moved, so a head that is not where the
     * writer thinks writes nothing.
     */
    ship: q(
      "ship",
      `WITH ${fence("$3::boolean")},
       inserted AS (
         INSERT INTO ${s}.actor_db_head (actor_id, version, snapshot, page_size, page_count)
         SELECT $1, 1, 0, $6, $7 FROM ok WHERE $4::bigint = 0
         ON CONFLICT (actor_id) DO NOTHING RETURNING 1
       ), updated AS (
         UPDATE ${s}.actor_db_head SET version = $4::bigint + 1, page_count = $7
         WHERE actor_id = $1 AND version = $4 AND $4::bigint > 0 AND EXISTS (SELECT 1 FROM ok) RETURNING 1
       ), head AS (
         SELECT 1 FROM inserted UNION ALL SELECT 1 FROM updated
       ), appended AS (
         INSERT INTO ${s}.actor_db_log (actor_id, version, frames) SELECT $1, $4::bigint + 1, $5 FROM head
       )
       ${result}`,
    ),
    /**
     * Makes version $3 (the head) the snapshot: writes the pages $4/$5 as of it, drops pages past
     * the page count $6 and the log rows it covers.
     */
    compact: q(
      "compact",
      `WITH ${fence("false")},
       head AS (
         UPDATE ${s}.actor_db_head SET snapshot = $3 WHERE actor_id = $1 AND version = $3 AND EXISTS (SELECT 1 FROM ok) RETURNING 1
       ), pages AS (
         INSERT INTO ${s}.actor_db_pages (actor_id, page_no, snapshot, data)
         SELECT $1, p.page_no, $3, p.data FROM unnest($4::int[], $5::bytea[]) AS p(page_no, data) WHERE EXISTS (SELECT 1 FROM head)
         ON CONFLICT (actor_id, page_no) DO UPDATE SET snapshot = excluded.snapshot, data = excluded.data
       ), trimmed AS (
         DELETE FROM ${s}.actor_db_pages WHERE actor_id = $1 AND page_no > $6 AND EXISTS (SELECT 1 FROM head)
       ), covered AS (
         DELETE FROM ${s}.actor_db_log WHERE actor_id = $1 AND version <= $3 AND EXISTS (SELECT 1 FROM head)
       )
       ${result}`,
    ),
    /** Everything of the database of an actor that is not stored (its creation failed). */
    remove: q(
      "remove",
      `WITH gone AS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM ${s}.actors WHERE id = $1)),
            head AS (DELETE FROM ${s}.actor_db_head WHERE actor_id = $1 AND EXISTS (SELECT 1 FROM gone)),
            log AS (DELETE FROM ${s}.actor_db_log WHERE actor_id = $1 AND EXISTS (SELECT 1 FROM gone))
       DELETE FROM ${s}.actor_db_pages WHERE actor_id = $1 AND EXISTS (SELECT 1 FROM gone)`,
    ),
  };
}
