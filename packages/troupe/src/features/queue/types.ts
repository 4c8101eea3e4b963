// The shapes `c.queue` hands out and takes: messages, receive options, send options.

import type { QueueBody, QueueCompletion, QueueName } from "./definition.ts";

export interface QueueMessage<N extends string = string, M = unknown> {
  /** Increasing with every message the actor receives; FIFO order across all its queues. */
  readonly id: number;
  readonly name: N;
  readonly body: M;
  /** When it was enqueued (ms since the epoch). */
  readonly createdAt: number;
  /** Completable deliveries of this message so far, this one included (0 for a plain receive). */
  readonly attempts: number;
}

export interface CompletableQueueMessage<N extends string = string, M = unknown, C = unknown> extends QueueMessage<N, M> {
  /**
   * Removes the message for good and hands `response` to a sender waiting with `{ wait: true }`.
   * Resolves once that is durable. A second call fails with `queue.already_completed`.
   */
  complete(response?: C): Promise<void>;
}

/** A message of one of the queues `N` (a union, so checking `name` narrows `body`). */
export type MessageOf<Q, N> = N extends string ? QueueMessage<N, QueueBody<Q, N>> : never;
export type CompletableMessageOf<Q, N> = N extends string ? CompletableQueueMessage<N, QueueBody<Q, N>, QueueCompletion<Q, N>> : never;

export interface ReceiveOptions<N extends string = string> {
  /** Only these queues; all of them when omitted. */
  names?: readonly N[];
  /**
   * Keep the message until `message.complete()`: if the receiving action (or run loop) ends, or the
   * actor sleeps or crashes first, it is delivered again (at-least-once). Without it a message is
   * removed as it is received (at-most-once).
   */
  completable?: boolean;
}

export interface WaitOptions<N extends string = string> extends ReceiveOptions<N> {
  /** Give up after this many ms: `next` resolves undefined, `nextBatch` an empty array. */
  timeout?: number;
  /** Stops waiting with `actor.aborted`. The actor's own abort signal always applies. */
  signal?: AbortSignal;
}

export interface BatchOptions<N extends string = string> extends WaitOptions<N> {
  /** At most this many messages. Default 1. */
  count?: number;
}

export interface QueueSendOptions {
  /**
   * A send with a key already used within `queueIdempotencyTtl` is dropped: it resolves as if
   * sent (and a waiting sender waits on the first message).
   */
  idempotencyKey?: string;
}

/** Names `c.queue` accepts for an actor with queue declarations `Q`. */
export type NameOf<Q> = QueueName<Q>;
