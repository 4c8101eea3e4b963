// Declaring queues: `queues: { jobs: queue<Job, Result>({ canPublish, message, complete }) }`.
// The token carries the message and completion types to `c.queue` and to clients.

import type { ActorContext } from "../../actor/context.ts";
import { errors } from "../../base/errors.ts";
import { DEFAULT_QUEUE } from "../../protocol/query.ts";
import type { StandardSchemaV1 } from "../../base/standard-schema.ts";

export { DEFAULT_QUEUE };

export interface QueueOptions<M, C> {
  /** Validates (and may transform) each message body on send; failure is `actor.validation_error`. */
  message?: StandardSchemaV1<unknown, M>;
  /** Validates the response given to `message.complete(response)`. */
  complete?: StandardSchemaV1<unknown, C>;
  /**
   * Runs before a client's message is enqueued, with `c.conn` set to the sender's connection
   * (an ephemeral one for stateless sends). Returning false rejects the send with `auth.forbidden`.
   * Not called for `c.queue.send` from inside the actor.
   */
  canPublish?: (c: ActorContext) => boolean | Promise<boolean>;
}

export interface QueueDefinition<M = unknown, C = unknown> extends QueueOptions<M, C> {
  /** Type-only: the message body. */
  readonly "~message"?: M;
  /** Type-only: the completion response. */
  readonly "~complete"?: C;
}

/** Queue declarations of an actor, by name. */
export type QueueMap = Record<string, QueueDefinition<unknown, unknown>>;

/** Declares a queue with message type `M` and completion response type `C`. */
export function queue<M = unknown, C = never>(options: QueueOptions<M, C> = {}): QueueDefinition<M, C> {
  return { ...options };
}

/** The queue names of a declaration: any string when nothing is declared, else the declared ones and the default. */
export type QueueName<Q> = [keyof Q] extends [never] ? string : (keyof Q & string) | typeof DEFAULT_QUEUE;

/** The message body type of queue `N`. */
export type QueueBody<Q, N> = N extends keyof Q ? (Q[N] extends QueueDefinition<infer M, unknown> ? M : unknown) : unknown;

/** The completion response type of queue `N`. */
export type QueueCompletion<Q, N> = N extends keyof Q ? (Q[N] extends QueueDefinition<unknown, infer C> ? C : unknown) : unknown;

/** Checks the `queues` key of an actor definition. */
export function validateQueues(queues: unknown): void {
  if (queues === undefined) return;
  if (typeof queues !== "object" || queues === null) throw errors.config("`queues` must be an object of queue(...) declarations.");
  for (const [name, def] of Object.entries(queues)) {
    if (typeof def !== "object" || def === null) throw errors.config(`queues.${name} must be declared with queue(...).`);
    const { canPublish } = def as QueueOptions<unknown, unknown>;
    if (canPublish !== undefined && typeof canPublish !== "function") throw errors.config(`queues.${name}.canPublish must be a function.`);
  }
}
