// `c.queue`: send to the actor's own queues and receive from them. One per context, so that a
// completable message belongs to the action (or run loop) that received it.

import { isErrorCode } from "../../base/errors.ts";
import type { QueueBody, QueueCompletion } from "./definition.ts";
import type { QueueFeature } from "./feature.ts";
import { queueErrors } from "./errors.ts";
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

export interface DeadLetterInfo<N extends string = string, M = unknown> extends QueueMessage<N, M> {
  /** When it was moved to the dead letters. */
  readonly failedAt: number;
}

export interface EnqueueAndWaitOptions extends QueueSendOptions {
  /** Fail with `queue.timed_out` after this many ms. Default 60 s. */
  timeout?: number;
  signal?: AbortSignal;
}

/** Messages that failed `maxQueueDeliveries` completable deliveries. */
export class DeadLetters<Q> {
  readonly #feature: QueueFeature;

  /** @internal */
  constructor(feature: QueueFeature) {
    this.#feature = feature;
  }

  /** Every dead letter, oldest first. */
  async list(): Promise<Array<DeadLetterInfo<NameOf<Q>, QueueBody<Q, NameOf<Q>>>>> {
    const store = await this.#feature.store();
    return store.dead.map((l) => ({
      id: l.id,
      name: l.name as NameOf<Q>,
      body: this.#feature.decode(l.body) as QueueBody<Q, NameOf<Q>>,
      createdAt: l.createdAt,
      attempts: l.attempts,
      failedAt: l.failedAt,
    }));
  }

  /** Puts dead letters (all, or these ids) back at the end of the queue with a new id; returns how many. */
  replay(ids?: readonly number[]): Promise<number> {
    return this.#feature.replayDead(ids);
  }

  /** Deletes dead letters (all, or these ids); returns how many. */
  delete(ids?: readonly number[]): Promise<number> {
    return this.#feature.deleteDead(ids);
  }
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
    const sent = await this.#feature.enqueue(name, body, options);
    const stored = sent.message;
    const message: QueueMessage = {
      id: sent.id,
      name,
      body: stored ? this.#feature.decode(stored.body) : body,
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
    const sent = await this.#feature.enqueue(name, body, {
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
    return (await this.#feature.store()).pending.length;
  }

  #receive(options: ReceiveOptions & { signal?: AbortSignal }, count: number, wait: number): Promise<QueueMessage[]> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}.`);
    return this.#feature.receive(this.#owner, {
      names: options.names,
      count,
      completable: options.completable === true,
      wait,
      signal: options.signal,
    });
  }
}
