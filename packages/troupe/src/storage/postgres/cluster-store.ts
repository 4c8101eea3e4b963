// Cluster mode's nodes and leases on PostgreSQL. Its connections are its own, apart from the
// driver's pool: heartbeats never queue behind commits, and every statement has a deadline, past
// which its connection is dropped, so that a stalled network fails a renewal instead of hanging it.

import type { Pool, PoolClient, QueryResultRow } from "pg";
import type { Acquisition, ClusterStatus, ClusterStore, NodeInfo, Renewal } from "../cluster-store.ts";
import { type ClusterQueries, clusterQueries } from "./cluster-queries.ts";
import { loadPg, unavailable } from "./connection.ts";
import { type PostgresDriverOptions, resolveOptions } from "./options.ts";
import type { Query } from "./queries.ts";

export interface ClusterStoreOptions extends PostgresDriverOptions {
  /** How long one statement may take before it fails and its connection is dropped. */
  timeoutMs: number;
}

/** How long opening a connection may take at least, whatever the statements' deadline. */
const CONNECT_TIMEOUT_MS = 5_000;

interface NodeRow {
  id: string;
  address: string;
  draining: boolean;
}

class PostgresClusterStore implements ClusterStore {
  readonly #pool: Pool;
  /** One connection for renewals alone. */
  readonly #beat: Pool;
  readonly #sql: ClusterQueries;
  readonly #timeoutMs: number;

  constructor(pools: { pool: Pool; beat: Pool }, schema: string, timeoutMs: number) {
    this.#pool = pools.pool;
    this.#beat = pools.beat;
    this.#sql = clusterQueries(schema);
    this.#timeoutMs = timeoutMs;
  }

  async register(nodeId: string, address: string, leaseMs: number): Promise<string> {
    const made = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
    const [row] = await this.#run<{ token: string }>(this.#beat, this.#sql.register, [nodeId, address, leaseMs, made]);
    if (row) return row.token;
    const [again] = await this.#run<{ token: string }>(this.#beat, this.#sql.token, []);
    if (!again) throw new Error("the cluster has no token");
    return again.token;
  }

  async renew(nodeId: string, leaseMs: number, draining: boolean): Promise<Renewal> {
    const rows = await this.#run<NodeRow & { renewed: boolean }>(this.#beat, this.#sql.renew, [nodeId, leaseMs, draining]);
    return { renewed: rows.some((row) => row.id === nodeId && row.renewed), nodes: rows.map(nodeInfo) };
  }

  async acquire(actorId: string, nodeId: string, mustExist: boolean): Promise<Acquisition> {
    // A lease taken by a concurrent statement may be missing from this one's snapshot: look again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const [row] = await this.#run<{ live: number; taken: number; exists: number; owner_id: string | null; owner_address: string | null }>(
        this.#pool,
        this.#sql.acquire,
        [actorId, nodeId, mustExist],
      );
      if (!row || row.live === 0) return { kind: "lapsed" };
      if (row.taken === 1) return { kind: "taken" };
      if (mustExist && row.exists === 0) return { kind: "missing" };
      if (row.owner_id !== null && row.owner_address !== null) {
        return { kind: "elsewhere", node: { id: row.owner_id, address: row.owner_address, draining: false } };
      }
    }
    throw new Error(`could not take or locate the lease of actor ${actorId}`);
  }

  async release(actorIds: string[], nodeId: string): Promise<void> {
    await this.#run(this.#pool, this.#sql.release, [actorIds, nodeId]);
  }

  async claimDue(upTo: number, nodeId: string, limit: number): Promise<string[]> {
    const rows = await this.#run<{ actor_id: string }>(this.#pool, this.#sql.claimDue, [upTo, nodeId, limit]);
    return rows.map((row) => row.actor_id);
  }

  async nextClaimable(nodeId: string): Promise<number | undefined> {
    const [row] = await this.#run<{ at: number | null }>(this.#pool, this.#sql.nextClaimable, [nodeId]);
    return row?.at ?? undefined;
  }

  async drain(nodeId: string): Promise<void> {
    await this.#run(this.#beat, this.#sql.drain, [nodeId]);
  }

  async leave(nodeId: string): Promise<void> {
    await this.#run(this.#beat, this.#sql.leave, [nodeId]);
  }

  async holders(actorIds: string[]): Promise<Map<string, NodeInfo>> {
    if (actorIds.length === 0) return new Map();
    const rows = await this.#run<NodeRow & { actor_id: string }>(this.#pool, this.#sql.holders, [actorIds]);
    return new Map(rows.map((row) => [row.actor_id, nodeInfo(row)]));
  }

  async status(): Promise<ClusterStatus> {
    const nodes = await this.#run<NodeRow & { started_at: Date; heartbeat_at: Date; remaining_ms: number; actors: number }>(
      this.#pool,
      this.#sql.status,
      [],
    );
    const [totals] = await this.#run<{ actors: number; leases: number; due_alarms: number }>(this.#pool, this.#sql.totals, []);
    return {
      nodes: nodes.map((row) => ({
        ...nodeInfo(row),
        startedAt: row.started_at,
        heartbeatAt: row.heartbeat_at,
        remainingMs: row.remaining_ms,
        actors: row.actors,
      })),
      actors: totals?.actors ?? 0,
      leases: totals?.leases ?? 0,
      dueAlarms: totals?.due_alarms ?? 0,
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.#pool.end(), this.#beat.end()]);
  }

  /**
   * Runs one statement within the deadline; past it, the connection is dropped and the statement
   * fails. Fails with `storage.unavailable` when PostgreSQL cannot be reached or does not answer in time.
   */
  async #run<R extends QueryResultRow>(pool: Pool, query: Query, values: unknown[]): Promise<R[]> {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`PostgreSQL did not answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      const result = await Promise.race([client.query<R>({ ...query, values }), late]);
      client.release();
      return result.rows;
    } catch (error) {
      // The connection may be stalled in the middle of a statement: it is not handed out again.
      client.release(error instanceof Error ? error : true);
      throw unavailable(error);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Opens the cluster store over a schema that the PostgreSQL driver has brought up to date. */
export async function openClusterStore(options: ClusterStoreOptions): Promise<ClusterStore> {
  const { url, schema } = resolveOptions(options);
  const { Pool } = await loadPg();
  const open = (max: number) => {
    const pool = new Pool({
      connectionString: url,
      max,
      // Opening a connection (a new server process) can take longer than a statement on a busy
      // machine; the connections, few, then stay open instead of being opened again after each lull.
      connectionTimeoutMillis: Math.max(options.timeoutMs, CONNECT_TIMEOUT_MS),
      idleTimeoutMillis: 0,
      keepAlive: true,
      application_name: "troupe-cluster",
    });
    pool.on("error", () => {});
    // As the driver's pool (connection.ts): a client's late error must not end the process.
    pool.on("connect", (client) => client.on("error", () => {}));
    return pool;
  };
  return new PostgresClusterStore({ pool: open(4), beat: open(1) }, schema, options.timeoutMs);
}

function nodeInfo(row: NodeRow): NodeInfo {
  return { id: row.id, address: row.address, draining: row.draining };
}
