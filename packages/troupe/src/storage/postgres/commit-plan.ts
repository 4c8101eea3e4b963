// Plans one group commit for PostgreSQL: decides every batch's epoch check, in batch order, against
// the actor rows the transaction has locked, then gathers the accepted batches' writes into rounds
// that each run as a few set-based statements whatever the number of batches.

import { errors } from "../../base/errors.ts";
import { fenced, malformedBatch } from "../commit-errors.ts";
import type { CommitBatch } from "../driver.ts";

/** A batch as the commit copied it when called: the caller may reuse its arrays at once. */
export interface CopiedBatch {
  actorId: string;
  epoch: number;
  claim: boolean;
  destroy: boolean;
  alarm: number | null | undefined;
  /** Set when the batch is rejected before any check: it is left out of the plan. */
  malformed?: Error;
  create?: { name: string; key: string[]; keyJson: string; createdAt: number; input: Buffer | null };
  deleteRanges: Array<[Buffer, Buffer]>;
  deletes: Buffer[];
  puts: Array<[Buffer, Buffer]>;
}

/** An actor row as the commit found it, locked. */
export interface LockedActor {
  id: string;
  name: string;
  key: string;
  epoch: number;
}

/**
 * Writes that run together, as columns for `unnest`. Each actor appears at most once in a round; a
 * batch after another of the same actor goes to a later round, so that rounds replay batch order.
 */
export class Round {
  readonly destroys: string[] = [];
  readonly creates = {
    ids: [] as string[],
    names: [] as string[],
    keys: [] as string[],
    createdAt: [] as number[],
    inputs: [] as Array<Buffer | null>,
    epochs: [] as number[],
  };
  readonly claims = { ids: [] as string[], epochs: [] as number[] };
  readonly deleteRanges = { ids: [] as string[], starts: [] as Buffer[], ends: [] as Buffer[] };
  readonly puts = { ids: [] as string[], keys: [] as Buffer[], values: [] as Buffer[] };
  readonly alarms = { ids: [] as string[], at: [] as number[], cleared: [] as string[] };
}

export interface CommitPlan {
  results: Array<Error | undefined>;
  rounds: Round[];
}

const ZERO = Buffer.from([0]);

export function copyBatch(batch: CommitBatch): CopiedBatch {
  const copied: CopiedBatch = {
    actorId: batch.actorId,
    epoch: batch.epoch,
    claim: batch.claim ?? false,
    destroy: batch.destroy ?? false,
    alarm: batch.alarm,
    deleteRanges: (batch.deleteRanges ?? []).map(([start, end]) => [Buffer.from(start), Buffer.from(end)]),
    deletes: (batch.deletes ?? []).map((key) => Buffer.from(key)),
    puts: (batch.puts ?? []).map(([key, value]) => [Buffer.from(key), Buffer.from(value)]),
  };
  const malformed = malformedBatch(batch);
  if (malformed) copied.malformed = malformed;
  if (batch.create) {
    const { name, key, createdAt, input } = batch.create;
    copied.create = { name, key: [...key], keyJson: JSON.stringify(key), createdAt, input: input ? Buffer.from(input) : null };
  }
  return copied;
}

/** The JSON of the key of each batch that creates, to find the rows that hold those keys already. */
export function createdKeys(batches: CopiedBatch[]): { names: string[]; keys: string[] } {
  const names: string[] = [];
  const keys: string[] = [];
  for (const { create } of batches) {
    if (create) {
      names.push(create.name);
      keys.push(create.keyJson);
    }
  }
  return { names, keys };
}

export function planCommit(batches: CopiedBatch[], locked: LockedActor[]): CommitPlan {
  const epochs = new Map<string, number>();
  const keyOf = new Map<string, string>();
  const holder = new Map<string, string>();
  for (const row of locked) {
    const directoryKey = JSON.stringify([row.name, row.key]);
    epochs.set(row.id, row.epoch);
    keyOf.set(row.id, directoryKey);
    holder.set(directoryKey, row.id);
  }
  /** The round after the last one that wrote each actor. */
  const nextRound = new Map<string, number>();
  /** The round in which a destroy frees a name and key: a create of that key runs no earlier. */
  const freedIn = new Map<string, number>();
  const rounds: Round[] = [];
  const roundAt = (index: number) => {
    while (rounds.length <= index) rounds.push(new Round());
    return rounds[index]!;
  };

  const results = batches.map((batch): Error | undefined => {
    if (batch.malformed) return batch.malformed;
    const id = batch.actorId;
    let round = nextRound.get(id) ?? 0;
    if (batch.create) {
      const directoryKey = JSON.stringify([batch.create.name, batch.create.keyJson]);
      if (epochs.has(id) || holder.has(directoryKey)) return errors.duplicateKey(batch.create.name, batch.create.key);
      epochs.set(id, batch.epoch);
      keyOf.set(id, directoryKey);
      holder.set(directoryKey, id);
      round = Math.max(round, freedIn.get(directoryKey) ?? 0);
    } else {
      const stored = epochs.get(id);
      if (stored !== (batch.claim ? batch.epoch - 1 : batch.epoch)) return fenced({ actorId: id, epoch: batch.epoch }, stored);
      epochs.set(id, batch.epoch);
    }
    nextRound.set(id, round + 1);
    const writes = roundAt(round);
    if (batch.destroy) {
      const directoryKey = keyOf.get(id)!;
      epochs.delete(id);
      holder.delete(directoryKey);
      freedIn.set(directoryKey, round);
      // A record created by this same batch was never written: there is nothing to delete.
      if (!batch.create) writes.destroys.push(id);
      return undefined;
    }
    if (batch.create) {
      const { creates } = writes;
      creates.ids.push(id);
      creates.names.push(batch.create.name);
      creates.keys.push(batch.create.keyJson);
      creates.createdAt.push(batch.create.createdAt);
      creates.inputs.push(batch.create.input);
      creates.epochs.push(batch.epoch);
    } else if (batch.claim) {
      writes.claims.ids.push(id);
      writes.claims.epochs.push(batch.epoch);
    }
    addKvWrites(writes, id, batch);
    if (batch.alarm === null) writes.alarms.cleared.push(id);
    else if (batch.alarm !== undefined) {
      writes.alarms.ids.push(id);
      writes.alarms.at.push(batch.alarm);
    }
    return undefined;
  });
  return { results, rounds };
}

/**
 * The plan of a commit in which every batch only writes keys and alarms of an actor it does not
 * claim, create or destroy, each actor once, and deletes no ranges: the usual commit of actors
 * saving their state. It is one round, and runs as one statement that checks the epochs itself
 * (queries.ts, `writeChecked`). Undefined for any other commit.
 */
export function steadyRound(batches: CopiedBatch[]): Round | undefined {
  const round = new Round();
  const seen = new Set<string>();
  for (const batch of batches) {
    const other = batch.malformed || batch.create || batch.claim || batch.destroy || batch.deleteRanges.length > 0;
    if (other || seen.has(batch.actorId)) return undefined;
    seen.add(batch.actorId);
    addKvWrites(round, batch.actorId, batch);
    if (batch.alarm === null) round.alarms.cleared.push(batch.actorId);
    else if (batch.alarm !== undefined) {
      round.alarms.ids.push(batch.actorId);
      round.alarms.at.push(batch.alarm);
    }
  }
  return round;
}

/**
 * Deletes become ranges [key, key + 0x00), except those of keys the batch also puts (the put wins,
 * and one statement may not touch a row twice); of two puts of a key, the last is kept.
 */
function addKvWrites(round: Round, id: string, batch: CopiedBatch): void {
  const { deleteRanges, puts } = round;
  for (const [start, end] of batch.deleteRanges) {
    deleteRanges.ids.push(id);
    deleteRanges.starts.push(start);
    deleteRanges.ends.push(end);
  }
  const put = new Map(batch.puts.map(([key, value]) => [key.toString("latin1"), [key, value] as const]));
  for (const key of batch.deletes) {
    if (put.has(key.toString("latin1"))) continue;
    deleteRanges.ids.push(id);
    deleteRanges.starts.push(key);
    deleteRanges.ends.push(Buffer.concat([key, ZERO]));
  }
  for (const [key, value] of put.values()) {
    puts.ids.push(id);
    puts.keys.push(key);
    puts.values.push(value);
  }
}
