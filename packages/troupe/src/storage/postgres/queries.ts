// Every statement of the PostgreSQL driver. Table names are qualified with the driver's schema, so
// a connection's search_path does not matter; each statement is named, so that a connection
// parses and plans it once and then only binds values.

export interface Query {
  name: string;
  text: string;
}

export type Queries = ReturnType<typeof queries>;

/** The statements over the tables in `schema` (a name checked by `schemaName`). */
export function queries(schema: string) {
  const s = `"${schema}"`;
  const q = (name: string, text: string): Query => ({ name: `troupe_${name}`, text });
  const actor = `SELECT id, name, key, created_at, input, epoch FROM ${s}.actors`;
  const list = (bounded: boolean, reverse: boolean) =>
    q(
      `list_${bounded ? "bounded" : "open"}_${reverse ? "desc" : "asc"}`,
      `SELECT key, value FROM ${s}.kv WHERE actor_id = $1 AND key >= $2 ${bounded ? "AND key < $4" : ""}
       ORDER BY key ${reverse ? "DESC" : "ASC"} LIMIT $3`,
    );
  return {
    actorById: q("actor_by_id", `${actor} WHERE id = $1`),
    actorByKey: q("actor_by_key", `${actor} WHERE name = $1 AND key = $2`),
    // LIMIT NULL is no limit.
    listActors: q("list_actors", `${actor} WHERE ($1::text IS NULL OR name = $1) AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`),
    get: q("get", `SELECT key, value FROM ${s}.kv WHERE actor_id = $1 AND key = ANY($2::bytea[])`),
    list: {
      open: { asc: list(false, false), desc: list(false, true) },
      bounded: { asc: list(true, false), desc: list(true, true) },
    },
    dueAlarms: q("due_alarms", `SELECT actor_id, at FROM ${s}.alarms WHERE at <= $1 ORDER BY at, actor_id LIMIT $2`),
    nextAlarm: q("next_alarm", `SELECT min(at) AS at FROM ${s}.alarms`),
    actorAlarm: q("actor_alarm", `SELECT at FROM ${s}.alarms WHERE actor_id = $1`),

    // ---- the commit (see commit.ts) ----

    /**
     * A steady commit (commit-plan.ts, `steadyRound`) in one statement, so in one round trip and
     * without BEGIN: lock the actors' rows (in id order), keep the batches whose epoch matches,
     * write only theirs. Returns every locked row's epoch, from which the caller tells which
     * batches were fenced. Statements in CTEs touch different rows, as they must.
     */
    writeChecked: q(
      "write_checked",
      `WITH locked AS (
         SELECT id, epoch FROM ${s}.actors WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE
       ), ok AS (
         SELECT b.id FROM unnest($1::text[], $2::bigint[]) AS b(id, epoch) JOIN locked ON locked.id = b.id AND locked.epoch = b.epoch
       ), deleted AS (
         DELETE FROM ${s}.kv AS kv USING unnest($3::text[], $4::bytea[], $5::bytea[]) AS r(actor_id, start, stop)
         WHERE kv.actor_id = r.actor_id AND kv.key >= r.start AND kv.key < r.stop AND r.actor_id IN (SELECT id FROM ok)
       ), puts AS (
         INSERT INTO ${s}.kv (actor_id, key, value)
         SELECT * FROM unnest($6::text[], $7::bytea[], $8::bytea[]) AS p(actor_id, key, value) WHERE p.actor_id IN (SELECT id FROM ok)
         ON CONFLICT (actor_id, key) DO UPDATE SET value = excluded.value
       ), alarms_set AS (
         INSERT INTO ${s}.alarms (actor_id, at)
         SELECT * FROM unnest($9::text[], $10::float8[]) AS a(actor_id, at) WHERE a.actor_id IN (SELECT id FROM ok)
         ON CONFLICT (actor_id) DO UPDATE SET at = excluded.at
       ), alarms_cleared AS (
         DELETE FROM ${s}.alarms WHERE actor_id = ANY($11::text[]) AND actor_id IN (SELECT id FROM ok)
       )
       SELECT id, epoch FROM locked`,
    ),

    /**
     * The first statement of every commit: the rows of the actors its batches name, by id or by the
     * name and key a batch creates, locked until the commit ends. Locked in id order, so that two
     * commits over the same actors cannot deadlock; FOR NO KEY UPDATE, so that a claim by another
     * node waits for this commit, and this commit for that claim (which it then sees).
     */
    lockActors: q(
      "lock_actors",
      `SELECT id, name, key, epoch FROM ${s}.actors
       WHERE id = ANY($1::text[]) OR (name, key) IN (SELECT * FROM unnest($2::text[], $3::text[]))
       ORDER BY id FOR NO KEY UPDATE`,
    ),
    destroy: q(
      "destroy",
      `WITH kv AS (DELETE FROM ${s}.kv WHERE actor_id = ANY($1::text[])),
            alarms AS (DELETE FROM ${s}.alarms WHERE actor_id = ANY($1::text[])),
            db_head AS (DELETE FROM ${s}.actor_db_head WHERE actor_id = ANY($1::text[])),
            db_log AS (DELETE FROM ${s}.actor_db_log WHERE actor_id = ANY($1::text[])),
            db_pages AS (DELETE FROM ${s}.actor_db_pages WHERE actor_id = ANY($1::text[]))
       DELETE FROM ${s}.actors WHERE id = ANY($1::text[])`,
    ),
    /** The caller checks that every row was inserted: a conflict means another node created the actor meanwhile. */
    create: q(
      "create",
      `INSERT INTO ${s}.actors (id, name, key, created_at, input, epoch)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bytea[], $6::bigint[])
       ON CONFLICT DO NOTHING`,
    ),
    /** Deletes of single keys come as ranges [key, key + 0x00). */
    deleteRanges: q(
      "delete_ranges",
      `DELETE FROM ${s}.kv AS kv USING unnest($1::text[], $2::bytea[], $3::bytea[]) AS r(actor_id, start, stop)
       WHERE kv.actor_id = r.actor_id AND kv.key >= r.start AND kv.key < r.stop`,
    ),
    /**
     * Claims, puts and alarms in one statement: they touch different rows (each actor appears once
     * in a round), which is what lets data-modifying CTEs share a statement. Returns how many claims
     * matched the epoch they expected, which the caller checks.
     */
    write: q(
      "write",
      `WITH claimed AS (
         UPDATE ${s}.actors AS a SET epoch = c.epoch FROM unnest($1::text[], $2::bigint[]) AS c(id, epoch)
         WHERE a.id = c.id AND a.epoch = c.epoch - 1 RETURNING 1
       ), puts AS (
         INSERT INTO ${s}.kv (actor_id, key, value) SELECT * FROM unnest($3::text[], $4::bytea[], $5::bytea[])
         ON CONFLICT (actor_id, key) DO UPDATE SET value = excluded.value
       ), alarms_set AS (
         INSERT INTO ${s}.alarms (actor_id, at) SELECT * FROM unnest($6::text[], $7::float8[])
         ON CONFLICT (actor_id) DO UPDATE SET at = excluded.at
       ), alarms_cleared AS (
         DELETE FROM ${s}.alarms WHERE actor_id = ANY($8::text[])
       )
       SELECT count(*)::int AS claimed FROM claimed`,
    ),
  };
}
