// The statements over actors' own databases in cluster mode (database-log.ts). A shipment (of the
// commits of many actors) and a compaction are one statement each, so one round trip: lock the
// actors' rows, check the epochs, and write only where they match, as the steady commit of
// key-value batches does.

import type { Query } from "./queries.ts";

export type DatabaseQueries = ReturnType<typeof databaseQueries>;

export function databaseQueries(schema: string) {
  const s = `"${schema}"`;
  const q = (name: string, text: string): Query => ({ name: `troupe_db_${name}`, text });
  return {
    head: q("head", `SELECT version, snapshot, page_size, page_count FROM ${s}.actor_db_head WHERE actor_id = $1`),
    pages: q("pages", `SELECT page_no, data FROM ${s}.actor_db_pages WHERE actor_id = $1`),
    log: q("log", `SELECT frames FROM ${s}.actor_db_log WHERE actor_id = $1 AND version > $2 ORDER BY version`),
    /**
     * One commit of each actor (each appears once): moves its head from `version` (no head for
     * version 0) and appends its frames as version + 1, when its epoch matches, or when it is not
     * stored and the writer is creating it. Rows locked in id order, as every commit does. The log
     * row is written only where the head moved, so a head that is not where the writer thinks
     * writes nothing. Returns, for each actor, the epoch found and whether it was written.
     */
    ship: q(
      "ship",
      `WITH b AS (
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::boolean[], $4::bigint[], $5::bytea[], $6::int[], $7::int[])
           AS b(actor_id, epoch, creating, version, frames, page_size, page_count)
       ), locked AS (
         SELECT id, epoch FROM ${s}.actors WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE
       ), ok AS (
         SELECT b.* FROM b LEFT JOIN locked ON locked.id = b.actor_id WHERE coalesce(locked.epoch = b.epoch, b.creating)
       ), inserted AS (
         INSERT INTO ${s}.actor_db_head (actor_id, version, snapshot, page_size, page_count)
         SELECT actor_id, 1, 0, page_size, page_count FROM ok WHERE version = 0
         ON CONFLICT (actor_id) DO NOTHING RETURNING actor_id
       ), updated AS (
         UPDATE ${s}.actor_db_head AS h SET version = ok.version + 1, page_count = ok.page_count
         FROM ok WHERE h.actor_id = ok.actor_id AND h.version = ok.version AND ok.version > 0 RETURNING h.actor_id
       ), moved AS (
         SELECT actor_id FROM inserted UNION ALL SELECT actor_id FROM updated
       ), appended AS (
         INSERT INTO ${s}.actor_db_log (actor_id, version, frames)
         SELECT ok.actor_id, ok.version + 1, ok.frames FROM ok JOIN moved USING (actor_id)
       )
       SELECT b.actor_id, locked.epoch, b.actor_id IN (SELECT actor_id FROM moved) AS written
       FROM b LEFT JOIN locked ON locked.id = b.actor_id`,
    ),
    /**
     * Makes version $3 (the head) the snapshot: writes the pages $4/$5 as of it, drops pages past
     * the page count $6 and the log rows it covers.
     */
    compact: q(
      "compact",
      `WITH locked AS (SELECT epoch FROM ${s}.actors WHERE id = $1 FOR NO KEY UPDATE),
       ok AS (SELECT 1 WHERE (SELECT epoch FROM locked) = $2),
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
       SELECT (SELECT epoch FROM locked) AS epoch, (SELECT count(*) FROM head) = 1 AS written`,
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
