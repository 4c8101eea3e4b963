// The typed errors of queues (their codes are listed in error-codes.ts).

import { defineErrorCodes } from "../../base/error-codes.ts";
import { ActorError } from "../../base/errors.ts";

export const queueErrors = {
  // The declared names stay out: a caller who may not publish should not learn them from a typo.
  notFound: (name: string) => new ActorError("queue", "not_found", `The actor has no queue named "${name}".`, { metadata: { name } }),
  full: (limit: number) => new ActorError("queue", "full", `Queue is full. Limit is ${limit} messages.`, { metadata: { limit } }),
  tooLarge: (size: number, limit: number) =>
    new ActorError("queue", "message_too_large", `The message is ${size} bytes once encoded; the limit is ${limit}.`, {
      metadata: { size, limit },
    }),
  timedOut: (ms: number) =>
    new ActorError("queue", "timed_out", `No consumer completed the message within ${ms} ms.`, { metadata: { timeoutMs: ms } }),
  alreadyCompleted: (id: number) =>
    new ActorError("queue", "already_completed", `Message ${id} was already completed (or moved to the dead letters).`, {
      metadata: { id },
    }),
  previousNotCompleted: (ids: number[]) =>
    new ActorError(
      "queue",
      "previous_message_not_completed",
      `Complete message ${ids.join(", ")} before receiving another one in the same action or loop.`,
      { metadata: { ids } },
    ),
  deadLettered: (id: number, attempts: number) =>
    new ActorError("queue", "dead_lettered", `Message ${id} failed ${attempts} deliveries and was moved to the dead letters.`, {
      metadata: { id, attempts },
    }),
  invalidKey: () =>
    new ActorError("queue", "invalid_idempotency_key", "An idempotency key must be a non-empty string of at most 256 bytes."),
};

/** The codes of these errors, with their HTTP status. */
export const QUEUE_ERROR_CODES = defineErrorCodes({
  "queue.not_found": { status: 404, description: "The actor declares queues, and none with this name." },
  "queue.full": { status: 400, description: "The actor's queues hold maxQueueSize messages (1000 by default); nothing was enqueued." },
  "queue.message_too_large": {
    status: 400,
    description: "The encoded message is over maxQueueMessageSize (64 KiB by default); nothing was enqueued.",
  },
  "queue.invalid_idempotency_key": { status: 400, description: "An idempotency key must be a non-empty string of at most 256 bytes." },
  "queue.timed_out": { status: 408, description: "c.queue.enqueueAndWait: no consumer completed the message in time (it stays queued)." },
  "queue.already_completed": {
    status: 400,
    description: "message.complete() was called on a message already completed or moved to the dead letters.",
  },
  "queue.previous_message_not_completed": {
    status: 400,
    description: "A completable message must be completed before the same action or loop receives another.",
  },
  "queue.dead_lettered": {
    status: 500,
    description: "The message failed maxQueueDeliveries deliveries and was moved to the dead letters; a waiting sender gets this.",
  },
});
