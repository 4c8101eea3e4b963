// How a driver that writes row by row applies one batch of a commit (the memory and SQLite drivers
// share it): validate, create or check the epoch, then destroy or write, then the alarm.

import { errors } from "../base/errors.ts";
import { fenced, malformedBatch } from "./commit-errors.ts";
import type { ActorRecord, Bytes, CommitBatch } from "./driver.ts";

/** The writes a driver makes, synchronously, inside the transaction of the commit. */
export interface BatchWriter {
  /** Inserts the record with `epoch` as its epoch; false, having written nothing, when its id or its name and key are taken. */
  insertActor(record: ActorRecord, epoch: number): boolean;
  /** Moves the stored epoch from `from` to `to`; false, having written nothing, when it is not `from` or the actor is gone. */
  claimEpoch(actorId: string, from: number, to: number): boolean;
  hasEpoch(actorId: string, epoch: number): boolean;
  /** The stored epoch, undefined when the actor is gone; read only to word a rejection. */
  epochOf(actorId: string): number | undefined;
  /** Deletes the record, every key and the alarm of an actor that exists. */
  deleteActor(actorId: string): void;
  /** Deletes the keys of [start, end). */
  deleteRange(actorId: string, start: Bytes, end: Bytes): void;
  deleteKey(actorId: string, key: Bytes): void;
  /** Stores a copy of the bytes: the caller may reuse its arrays. */
  put(actorId: string, key: Bytes, value: Bytes): void;
  /** Sets the actor's alarm, or clears it for null. */
  setAlarm(actorId: string, at: number | null): void;
}

/**
 * Applies `batch`; returns the error that rejected it, if any. The epoch check (or the insert of a
 * new record) is the only step that can reject a batch and it runs before any write, so a rejected
 * batch has written nothing and needs no savepoint. Any other failure is the storage's own: it
 * throws, and the driver aborts the whole commit.
 */
export function applyBatch(writer: BatchWriter, batch: CommitBatch): Error | undefined {
  const rejected = malformedBatch(batch) ?? checkEpoch(writer, batch);
  if (rejected) return rejected;
  const id = batch.actorId;
  if (batch.destroy) {
    writer.deleteActor(id);
    return undefined;
  }
  for (const [start, end] of batch.deleteRanges ?? []) writer.deleteRange(id, start, end);
  for (const key of batch.deletes ?? []) writer.deleteKey(id, key);
  for (const [key, value] of batch.puts ?? []) writer.put(id, key, value);
  if (batch.alarm !== undefined) writer.setAlarm(id, batch.alarm);
  return undefined;
}

/** Creates the record, claims the actor, or checks that the batch's epoch is the stored one. */
function checkEpoch(writer: BatchWriter, batch: CommitBatch): Error | undefined {
  const { create } = batch;
  if (create) return writer.insertActor(create, batch.epoch) ? undefined : errors.duplicateKey(create.name, create.key);
  const ok = batch.claim ? writer.claimEpoch(batch.actorId, batch.epoch - 1, batch.epoch) : writer.hasEpoch(batch.actorId, batch.epoch);
  // Only a rejected batch pays for reading the epoch it lost to.
  return ok ? undefined : fenced(batch, writer.epochOf(batch.actorId));
}
