// `c.queue`: send to the actor's own queues and receive from them. One per context, so that a
// completable message belongs to the action (or run loop) that received it.

import { decodeCbor } from "../../base/cbor.ts";
import { isErrorCode } from "../../base/errors.ts";
import { DeadLetters } from "./dead-letters.ts";
import type { QueueBody, QueueCompletion } from "./definition.ts";
import { enqueue } from "./enqueue.ts";
import { queueErrors } from "./errors.ts";
import type { QueueFeature } from "./feature.ts";
import { receive } from "./receive.ts";
import type {
  BatchOptions,
  CompletableMessageOf,
  MessageOf,
  NameOf,
  QueueMessage,
  QueueSendOptions,
  ReceiveOptions,
  WaitOptions,
} from "./types.ts";
import { DEFAULT_WAIT_TIMEOUT } from "./waiters.ts";

export interface EnqueueAndWaitOptions extends QueueSendOptions {
  /** Fail with `queue.timed_out` after this many ms. Default 60 s. */
  timeout?: number;
  signal?: AbortSignal;
}

export class ActorQueue<Q = Record<string, never>> {
  readonly #feature: QueueFeature;
  /** The context using it: completable messages it receives are its own. */
  readonly #owner: object;
  readonly deadLetters: DeadLetters<Q>;

  /** @internal */
  constructor(feature: QueueFeature, owner: object) {
    this.#feature = feature;
    this.#owner = owner;
    this.deadLetters = new DeadLetters(feature);
  }

  /** Enqueues a message on this actor's queue `name`; resolves once it is durable. */
  async send<N extends NameOf<Q>>(name: N, body: QueueBody<Q, N>, options: QueueSendOptions = {}): Promise<MessageOf<Q, N>> {
    const sent = await enqueue(this.#feature, name, body, options);
    const stored = sent.message;
    const message: QueueMessage = {
      id: sent.id,
      name,
      body: stored ? decodeCbor(stored.body) : body,
      createdAt: stored?.createdAt ?? Date.now(),
      attempts: 0,
    };
    return message as MessageOf<Q, N>;
  }

  /**
   * Enqueues a message and waits until a consumer completes it; resolves with the response.
   * Never from the loop that consumes the queue: it would wait for itself.
   */
  async enqueueAndWait<N extends NameOf<Q>>(
    name: N,
    body: QueueBody<Q, N>,
    options: EnqueueAndWaitOptions = {},
  ): Promise<QueueCompletion<Q, N> | undefined> {
    const timeout = options.timeout ?? DEFAULT_WAIT_TIMEOUT;
    const sent = await enqueue(this.#feature, name, body, {
      idempotencyKey: options.idempotencyKey,
      wait: { timeout, signal: options.signal },
    });
    const result = await (sent.completion as NonNullable<typeof sent.completion>);
    if (result.status === "timedOut") throw queueErrors.timedOut(timeout);
    return result.response as QueueCompletion<Q, N> | undefined;
  }

  /** Waits for the next message (FIFO across `names`); undefined after `timeout`. */
  next<N extends NameOf<Q> = NameOf<Q>>(options: WaitOptions<N> & { completable: true }): Promise<CompletableMessageOf<Q, N> | undefined>;
  next<N extends NameOf<Q> = NameOf<Q>>(options?: WaitOptions<N>): Promise<MessageOf<Q, N> | undefined>;
  async next(options: WaitOptions = {}): Promise<QueueMessage | undefined> {
    const [message] = await this.#receive(options, 1, options.timeout ?? Number.POSITIVE_INFINITY);
    return message;
  }

  /** Waits for at least one message, then takes up to `count`; empty after `timeout`. */
  nextBatch<N extends NameOf<Q> = NameOf<Q>>(options: BatchOptions<N> & { completable: true }): Promise<Array<CompletableMessageOf<Q, N>>>;
  nextBatch<N extends NameOf<Q> = NameOf<Q>>(options?: BatchOptions<N>): Promise<Array<MessageOf<Q, N>>>;
  nextBatch(options: BatchOptions = {}): Promise<QueueMessage[]> {
    return this.#receive(options, options.count ?? 1, options.timeout ?? Number.POSITIVE_INFINITY);
  }

  /** The next message if one is there now, else undefined. */
  tryNext<N extends NameOf<Q> = NameOf<Q>>(
    options: ReceiveOptions<N> & { completable: true },
  ): Promise<CompletableMessageOf<Q, N> | undefined>;
  tryNext<N extends NameOf<Q> = NameOf<Q>>(options?: ReceiveOptions<N>): Promise<MessageOf<Q, N> | undefined>;
  async tryNext(options: ReceiveOptions = {}): Promise<QueueMessage | undefined> {
    const [message] = await this.#receive(options, 1, 0);
    return message;
  }

  /** Up to `count` messages that are there now. */
  tryNextBatch<N extends NameOf<Q> = NameOf<Q>>(
    options: ReceiveOptions<N> & { count?: number; completable: true },
  ): Promise<Array<CompletableMessageOf<Q, N>>>;
  tryNextBatch<N extends NameOf<Q> = NameOf<Q>>(options?: ReceiveOptions<N> & { count?: number }): Promise<Array<MessageOf<Q, N>>>;
  tryNextBatch(options: ReceiveOptions & { count?: number } = {}): Promise<QueueMessage[]> {
    return this.#receive(options, options.count ?? 1, 0);
  }

  /**
   * Messages as they arrive, for `for await`. Ends quietly when the actor starts to sleep or is
   * destroyed (or `signal` aborts). Leaving the loop gives back an uncompleted completable message.
   */
  iter<N extends NameOf<Q> = NameOf<Q>>(
    options: ReceiveOptions<N> & { signal?: AbortSignal; completable: true },
  ): AsyncIterableIterator<CompletableMessageOf<Q, N>>;
  iter<N extends NameOf<Q> = NameOf<Q>>(options?: ReceiveOptions<N> & { signal?: AbortSignal }): AsyncIterableIterator<MessageOf<Q, N>>;
  async *iter(options: ReceiveOptions & { signal?: AbortSignal } = {}): AsyncIterableIterator<QueueMessage> {
    try {
      for (;;) {
        let batch: QueueMessage[];
        try {
          batch = await this.#receive(options, 1, Number.POSITIVE_INFINITY);
        } catch (error) {
          if (isErrorCode(error, "actor", "aborted")) return;
          throw error;
        }
        for (const message of batch) yield message;
      }
    } finally {
      this.#feature.release(this.#owner);
    }
  }

  /** Messages waiting in the queue (those being processed included). */
  async size(): Promise<number> {
    return (await this.#feature.dispatcher()).store.pending.length;
  }

  #receive(options: ReceiveOptions & { signal?: AbortSignal }, count: number, wait: number): Promise<QueueMessage[]> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}.`);
    return receive(this.#feature, this.#owner, {
      names: options.names,
      count,
      completable: options.completable === true,
      wait,
      signal: options.signal,
    });
  }
}
