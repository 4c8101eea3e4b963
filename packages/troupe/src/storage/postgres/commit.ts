// Runs a group commit on PostgreSQL, atomically. A steady commit (actors saving their state) is one
// statement that checks the epochs and writes; any other is a transaction: lock the actors' rows,
// decide every batch (commit-plan.ts), then a few set-based statements per round. A conflict the
// lock could not prevent (another node created the same actor meanwhile) or a deadlock retries.
// A connection that fails before the writes are sent is `storage.unavailable` (nothing applied);
// once they are sent, `storage.outcome_unknown` (PostgreSQL may have applied them).

import type { Pool, PoolClient } from "pg";
import type { CommitBatch } from "../driver.ts";
import { fenced } from "../commit-errors.ts";
import { type CopiedBatch, copyBatch, createdKeys, type LockedActor, planCommit, type Round, steadyRound } from "./commit-plan.ts";
import { outcomeUnknown, unavailable } from "./connection.ts";
import type { Queries } from "./queries.ts";

const ATTEMPTS = 3;
/** serialization_failure and deadlock_detected: PostgreSQL rolled back and asks to try again. */
const RETRY_CODES = new Set(["40001", "40P01"]);

/** The plan met rows that changed after the lock was taken; nothing has been committed. */
class Conflict extends Error {}

export async function commitBatches(pool: Pool, sql: Queries, batches: CommitBatch[]): Promise<Array<Error | undefined>> {
  // Copied before the first await: the caller may reuse its arrays as soon as commit returns.
  const copied = batches.map(copyBatch);
  const steady = steadyRound(copied);
  for (let attempt = 1; ; attempt++) {
    try {
      return await (steady ? commitSteady(pool, sql, copied, steady) : commitInTransaction(pool, sql, copied));
    } catch (error) {
      if (attempt < ATTEMPTS && retryable(error)) continue;
      throw error;
    }
  }
}

async function commitSteady(pool: Pool, sql: Queries, batches: CopiedBatch[], round: Round): Promise<Array<Error | undefined>> {
  const { deleteRanges: ranges, puts, alarms } = round;
  const client = await connectTo(pool);
  let rows: Array<{ id: string; epoch: string }>;
  try {
    ({ rows } = await client.query<{ id: string; epoch: string }>({
      ...sql.writeChecked,
      values: [
        batches.map((b) => b.actorId),
        batches.map((b) => b.epoch),
        ranges.ids,
        ranges.starts,
        ranges.ends,
        puts.ids,
        puts.keys,
        puts.values,
        alarms.ids,
        alarms.at,
        alarms.cleared,
      ],
    }));
  } catch (error) {
    throw outcomeUnknown(error);
  } finally {
    // The pool drops a connection that broke.
    client.release();
  }
  const stored = new Map(rows.map((row) => [row.id, Number(row.epoch)]));
  return batches.map((batch) => {
    const epoch = stored.get(batch.actorId);
    return epoch === batch.epoch ? undefined : fenced({ actorId: batch.actorId, epoch: batch.epoch }, epoch);
  });
}

async function commitInTransaction(pool: Pool, sql: Queries, batches: CopiedBatch[]): Promise<Array<Error | undefined>> {
  const client = await connectTo(pool);
  let usable = true;
  try {
    let results: Array<Error | undefined>;
    try {
      await client.query("BEGIN");
      results = await apply(client, sql, batches);
    } catch (error) {
      usable = await rollback(client);
      // Without its COMMIT, PostgreSQL rolls the transaction back when the connection ends.
      throw unavailable(error);
    }
    try {
      await client.query("COMMIT");
    } catch (error) {
      throw outcomeUnknown(error);
    }
    return results;
  } finally {
    // A connection that could not even roll back is dropped rather than handed out again (the pool
    // drops one that broke).
    client.release(!usable);
  }
}

async function connectTo(pool: Pool): Promise<PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw unavailable(error);
  }
}

function retryable(error: unknown): boolean {
  return error instanceof Conflict || RETRY_CODES.has(String((error as { code?: unknown }).code));
}

/** Whether the connection is still usable after rolling back. */
async function rollback(client: PoolClient): Promise<boolean> {
  try {
    await client.query("ROLLBACK");
    return true;
  } catch {
    return false;
  }
}

async function apply(client: PoolClient, sql: Queries, batches: CopiedBatch[]): Promise<Array<Error | undefined>> {
  const ids = [...new Set(batches.map((b) => b.actorId))];
  const { names, keys } = createdKeys(batches);
  // bigint columns arrive as strings.
  const locked = await client.query<Omit<LockedActor, "epoch"> & { epoch: string }>({ ...sql.lockActors, values: [ids, names, keys] });
  const plan = planCommit(
    batches,
    locked.rows.map((row) => ({ ...row, epoch: Number(row.epoch) })),
  );
  for (const round of plan.rounds) await applyRound(client, sql, round);
  return plan.results;
}

async function applyRound(client: PoolClient, sql: Queries, round: Round): Promise<void> {
  if (round.destroys.length > 0) await client.query({ ...sql.destroy, values: [round.destroys] });
  const { creates, deleteRanges: ranges, claims, puts, alarms } = round;
  if (creates.ids.length > 0) {
    const values = [creates.ids, creates.names, creates.keys, creates.createdAt, creates.inputs, creates.epochs];
    const inserted = await client.query({ ...sql.create, values });
    if (inserted.rowCount !== creates.ids.length) throw new Conflict("an actor was created by another commit meanwhile");
  }
  if (ranges.ids.length > 0) await client.query({ ...sql.deleteRanges, values: [ranges.ids, ranges.starts, ranges.ends] });
  if (claims.ids.length + puts.ids.length + alarms.ids.length + alarms.cleared.length === 0) return;
  const written = await client.query<{ claimed: number }>({
    ...sql.write,
    values: [claims.ids, claims.epochs, puts.ids, puts.keys, puts.values, alarms.ids, alarms.at, alarms.cleared],
  });
  // The rows are locked, so a claim cannot miss; if one does, commit nothing rather than half.
  if (written.rows[0]?.claimed !== claims.ids.length) throw new Conflict("an actor's epoch changed under its lock");
}
