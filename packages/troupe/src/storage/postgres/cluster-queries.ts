// The statements of cluster mode over the nodes and leases tables (schema.ts, migration 2). A
// node's lease, and with it every actor lease it holds, lasts until nodes.expires_at, judged by the
// database clock: no statement here trusts a node's own clock.

import type { Query } from "./queries.ts";

export type ClusterQueries = ReturnType<typeof clusterQueries>;

const MS = "* interval '1 millisecond'";

export function clusterQueries(schema: string) {
  const s = `"${schema}"`;
  const q = (name: string, text: string): Query => ({ name: `troupe_cluster_${name}`, text });
  /** A lease of `actorId` that belongs to a live node other than `node`. */
  const heldElsewhere = (actorId: string, node: string) =>
    `EXISTS (SELECT 1 FROM ${s}.leases l JOIN ${s}.nodes n ON n.id = l.node_id
             WHERE l.actor_id = ${actorId} AND l.node_id <> ${node} AND n.expires_at > now())`;
  /** Takes over a lease row that is this node's already or whose node's lease lapsed. */
  const takeOver = `ON CONFLICT (actor_id) DO UPDATE SET node_id = excluded.node_id, acquired_at = now()
       WHERE leases.node_id = excluded.node_id
          OR NOT EXISTS (SELECT 1 FROM ${s}.nodes n WHERE n.id = leases.node_id AND n.expires_at > now())`;
  return {
    /**
     * Joins with a fresh id, forgets the nodes (and their leases) that have been dead a while, and
     * reads the cluster's token, made from $4 by the first node. Empty when another node made it at
     * the same moment (this statement's snapshot cannot see it): ask again.
     */
    register: q(
      "register",
      `WITH gone AS (DELETE FROM ${s}.nodes WHERE expires_at < now() - interval '10 minutes' RETURNING id),
            orphans AS (DELETE FROM ${s}.leases WHERE node_id IN (SELECT id FROM gone)),
            joined AS (INSERT INTO ${s}.nodes (id, address, expires_at) VALUES ($1, $2, now() + $3 ${MS})),
            made AS (INSERT INTO ${s}.cluster_token (token) VALUES ($4) ON CONFLICT DO NOTHING RETURNING token)
       SELECT token FROM made UNION ALL SELECT token FROM ${s}.cluster_token`,
    ),
    token: q("token", `SELECT token FROM ${s}.cluster_token`),
    /**
     * Renews this node's lease if it has not lapsed (a lapsed lease stays lapsed: the node must
     * rejoin under a new id), and lists the live nodes. The list is read from the snapshot before
     * the update, which changes nothing: this node is live in it exactly when it is renewed.
     */
    renew: q(
      "renew",
      `WITH renewed AS (
         UPDATE ${s}.nodes SET heartbeat_at = now(), expires_at = now() + $2 ${MS}, draining = $3
         WHERE id = $1 AND expires_at > now() RETURNING id
       )
       SELECT id, address, draining, id IN (SELECT id FROM renewed) AS renewed FROM ${s}.nodes WHERE expires_at > now()`,
    ),
    /**
     * Takes the lease of actor $1 for node $2 unless a live node holds it; with $3, only for an
     * actor that exists. Says whether this node is live, whether it took the lease, and else the
     * node that holds it (which a concurrent statement may hide from this one's snapshot).
     */
    acquire: q(
      "acquire",
      `WITH me AS (SELECT id FROM ${s}.nodes WHERE id = $2 AND expires_at > now()),
       taken AS (
         INSERT INTO ${s}.leases (actor_id, node_id)
         SELECT $1, id FROM me WHERE NOT $3 OR EXISTS (SELECT 1 FROM ${s}.actors WHERE id = $1)
         ${takeOver}
         RETURNING node_id
       )
       SELECT (SELECT count(*) FROM me)::int AS live, (SELECT count(*) FROM taken)::int AS taken,
              (SELECT count(*) FROM ${s}.actors WHERE id = $1)::int AS exists,
              n.id AS owner_id, n.address AS owner_address
       FROM (SELECT 1) AS one
       LEFT JOIN ${s}.leases l ON l.actor_id = $1 AND l.node_id <> $2
       LEFT JOIN ${s}.nodes n ON n.id = l.node_id AND n.expires_at > now()`,
    ),
    release: q("release", `DELETE FROM ${s}.leases WHERE actor_id = ANY($1::text[]) AND node_id = $2`),
    /**
     * Claims the actors whose alarms are due at $1 and that no other live node holds, at most $3,
     * for node $2. SKIP LOCKED: nodes looking at once take different alarms instead of queueing.
     */
    claimDue: q(
      "claim_due",
      `WITH me AS (SELECT id FROM ${s}.nodes WHERE id = $2 AND expires_at > now()),
       due AS (
         SELECT al.actor_id, al.at FROM ${s}.alarms al
         WHERE al.at <= $1 AND EXISTS (SELECT 1 FROM me) AND NOT ${heldElsewhere("al.actor_id", "$2")}
         ORDER BY al.at, al.actor_id LIMIT $3 FOR UPDATE OF al SKIP LOCKED
       ),
       taken AS (
         INSERT INTO ${s}.leases (actor_id, node_id) SELECT actor_id, $2 FROM due
         ${takeOver}
         RETURNING actor_id
       )
       SELECT due.actor_id, due.at FROM due JOIN taken USING (actor_id) ORDER BY due.at`,
    ),
    /** The earliest alarm of an actor no live node but $1 holds. */
    nextClaimable: q("next_claimable", `SELECT min(al.at) AS at FROM ${s}.alarms al WHERE NOT ${heldElsewhere("al.actor_id", "$1")}`),
    drain: q("drain", `UPDATE ${s}.nodes SET draining = true WHERE id = $1`),
    leave: q("leave", `WITH released AS (DELETE FROM ${s}.leases WHERE node_id = $1) DELETE FROM ${s}.nodes WHERE id = $1`),
    /** The live nodes that hold leases of the actors $1. */
    holders: q(
      "holders",
      `SELECT l.actor_id, n.id, n.address, n.draining FROM ${s}.leases l JOIN ${s}.nodes n ON n.id = l.node_id
       WHERE l.actor_id = ANY($1::text[]) AND n.expires_at > now()`,
    ),
    status: q(
      "status",
      `SELECT n.id, n.address, n.draining, n.started_at, n.heartbeat_at,
              (extract(epoch FROM n.expires_at - now()) * 1000)::float8 AS remaining_ms,
              (SELECT count(*) FROM ${s}.leases l WHERE l.node_id = n.id)::int AS actors
       FROM ${s}.nodes n ORDER BY n.started_at, n.id`,
    ),
    totals: q(
      "totals",
      `SELECT (SELECT count(*) FROM ${s}.actors)::int AS actors,
              (SELECT count(*) FROM ${s}.leases)::int AS leases,
              (SELECT count(*) FROM ${s}.alarms WHERE at <= extract(epoch FROM now()) * 1000)::int AS due_alarms`,
    ),
  };
}
