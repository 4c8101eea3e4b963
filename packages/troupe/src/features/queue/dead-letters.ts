// `c.queue.deadLetters`: messages that failed `maxQueueDeliveries` completable deliveries, to list,
// replay at the end of the queue or delete.

import { decodeCbor } from "../../base/cbor.ts";
import type { QueueBody } from "./definition.ts";
import { queueErrors } from "./errors.ts";
import type { QueueFeature } from "./feature.ts";
import type { NameOf, QueueMessage } from "./types.ts";

export interface DeadLetterInfo<N extends string = string, M = unknown> extends QueueMessage<N, M> {
  /** When it was moved to the dead letters. */
  readonly failedAt: number;
}

/** Messages that failed `maxQueueDeliveries` completable deliveries. */
export class DeadLetters<Q> {
  readonly #queue: QueueFeature;

  /** @internal */
  constructor(queue: QueueFeature) {
    this.#queue = queue;
  }

  /** Every dead letter, oldest first. */
  async list(): Promise<Array<DeadLetterInfo<NameOf<Q>, QueueBody<Q, NameOf<Q>>>>> {
    const { store } = await this.#queue.dispatcher();
    return store.dead.map((l) => ({
      id: l.id,
      name: l.name as NameOf<Q>,
      body: decodeCbor(l.body) as QueueBody<Q, NameOf<Q>>,
      createdAt: l.createdAt,
      attempts: l.attempts,
      failedAt: l.failedAt,
    }));
  }

  /** Puts dead letters (all, or these ids) back at the end of the queue with a new id; returns how many. */
  async replay(ids?: readonly number[]): Promise<number> {
    const dispatcher = await this.#queue.dispatcher();
    const { store } = dispatcher;
    const letters = store.dead.filter((l) => ids === undefined || ids.includes(l.id));
    const { maxQueueSize } = this.#queue.instance.def.options;
    if (letters.length > maxQueueSize - store.pending.length) throw queueErrors.full(maxQueueSize);
    const now = Date.now();
    for (const letter of letters) store.revive(letter, now);
    await this.#queue.instance.whenDurable();
    dispatcher.dispatch();
    return letters.length;
  }

  /** Deletes dead letters (all, or these ids); returns how many. */
  async delete(ids?: readonly number[]): Promise<number> {
    const { store } = await this.#queue.dispatcher();
    const letters = store.dead.filter((l) => ids === undefined || ids.includes(l.id));
    for (const letter of letters) store.drop(letter);
    await this.#queue.instance.whenDurable();
    return letters.length;
  }
}
