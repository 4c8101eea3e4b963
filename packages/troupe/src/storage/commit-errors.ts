// The errors a driver returns for one rejected batch of a commit, worded the same by every driver.

import { ActorError } from "../base/errors.ts";
import type { CommitBatch } from "./driver.ts";

/** The batch's epoch check failed: `stored` is the epoch found, undefined when the actor is gone. */
export function fenced(batch: CommitBatch, stored: number | undefined): ActorError {
  const message =
    stored === undefined
      ? `Actor ${batch.actorId} no longer exists; its instance may no longer write.`
      : `Actor ${batch.actorId} is owned by activation epoch ${stored}; this instance (epoch ${batch.epoch}) may no longer write.`;
  return new ActorError("actor", "fenced", message, {
    metadata: { actorId: batch.actorId, epoch: batch.epoch, storedEpoch: stored ?? null },
  });
}

/** A batch the runtime should never build; rejected alone rather than failing the whole commit. */
export function malformedBatch(batch: CommitBatch): ActorError | undefined {
  if (batch.create !== undefined && batch.create.id !== batch.actorId) {
    return new ActorError(
      "storage",
      "error",
      `Malformed commit batch: create.id ${batch.create.id} differs from actorId ${batch.actorId}.`,
      { public: false },
    );
  }
  return undefined;
}
