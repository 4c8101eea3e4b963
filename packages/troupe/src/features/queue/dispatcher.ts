// The live side of delivery: applies the decisions of the delivery state machine (delivery.ts) to the
// queue's store, to the receives waiting for messages and to the senders waiting for completion.

import { errors } from "../../base/errors.ts";
import { decodeCbor } from "../../base/cbor.ts";
import { type Delivery, type Demand, DeliveryState, type Handout, type Owner } from "./delivery.ts";
import { queueErrors } from "./errors.ts";
import type { QueueFeature } from "./feature.ts";
import type { StoredMessage } from "./records.ts";
import { validate } from "../../base/standard-schema.ts";
import type { QueueStore } from "./store.ts";
import type { CompletableQueueMessage, QueueMessage } from "./types.ts";
import { waitersOf } from "./waiters.ts";

/** A receive waiting for messages; `deliver` ends its wait. */
export interface WaitingReceive extends Demand {
  deliver(messages: QueueMessage[]): void;
}

export class Dispatcher {
  readonly store: QueueStore;
  readonly state: DeliveryState<WaitingReceive>;
  readonly #queue: QueueFeature;

  constructor(queue: QueueFeature, store: QueueStore) {
    this.#queue = queue;
    this.store = store;
    this.state = new DeliveryState(queue.instance.def.options.maxQueueDeliveries);
  }

  /** Takes what `demand` gets now of the messages read so far (see receive.ts for reading more). */
  take(demand: Demand): QueueMessage[] {
    const { handed, dead } = this.state.take(this.store.pending, demand);
    this.#bury(dead);
    return this.#hand(handed);
  }

  /**
   * Hands what is queued to the waiting receives (after a send, a replay, a release). A receive
   * waits only once its take read every stored page, so what was read is all there is.
   */
  dispatch(): void {
    const { served, dead } = this.state.dispatch(this.store.pending);
    this.#bury(dead);
    for (const { receive, handed } of served) receive.deliver(this.#hand(handed));
  }

  /** `owner` ended: what it did not complete is delivered again, or dead-lettered if it had its deliveries. */
  release(owner: Owner): void {
    const { released, dead } = this.state.release(owner, this.store.pending);
    if (released.length === 0) return;
    this.#bury(dead);
    this.dispatch();
  }

  /**
   * Completes message `id` (removes it, and answers a waiting sender once that is durable), whoever
   * received it; `by` is the delivery completing it, if any. Does nothing for a message no longer queued.
   */
  async complete(id: number, response: unknown, by?: Delivery): Promise<void> {
    // One already read is completed in this turn, before anything else can touch it.
    const message = this.store.pending.get(id) ?? (await this.store.pending.find(id));
    if (message === undefined) return;
    this.state.completed(id, by);
    this.store.remove(message);
    const { instance } = this.#queue;
    instance.observer?.notify({ type: "queue.completed", actor: instance, at: Date.now(), messageId: id });
    await this.#queue.instance.whenDurable();
    waitersOf(this.#queue.instance).complete(this.#queue.instance.id, id, response);
  }

  /** `message.complete(response)` of a completable delivery. */
  async #completeDelivery(delivery: Delivery, response: unknown): Promise<void> {
    const { message } = delivery;
    const def = this.#queue.definition(message.name);
    const value =
      def?.complete && response !== undefined ? await validate(def.complete, response, `completion of queue "${message.name}"`) : response;
    if (this.#queue.instance.status === "stopped") throw errors.stopping();
    // A delivery given back for redelivery may still complete its message, if nobody else has.
    if (!this.store.isPending(message)) throw queueErrors.alreadyCompleted(message.id);
    await this.complete(message.id, value, delivery);
  }

  /** Applies handouts to the store: a completable delivery counts an attempt, a plain one removes its message. */
  #hand(handed: Handout[]): QueueMessage[] {
    return handed.map(({ message, delivery }) => {
      if (delivery) {
        this.store.delivered(message);
        return this.#present(message, delivery);
      }
      this.store.remove(message);
      this.#answerWhenDurable(message.id);
      return this.#present(message, undefined);
    });
  }

  #present(message: StoredMessage, delivery: Delivery | undefined): QueueMessage {
    const { instance } = this.#queue;
    instance.observer?.notify({
      type: "queue.received",
      actor: instance,
      at: Date.now(),
      messageId: message.id,
      queue: message.name,
      attempts: message.attempts,
      completable: delivery !== undefined,
    });
    const base = {
      id: message.id,
      name: message.name,
      body: decodeCbor(message.body),
      createdAt: message.createdAt,
      attempts: delivery ? message.attempts : 0,
    };
    if (!delivery) return base;
    const completable: CompletableQueueMessage = { ...base, complete: (response?: unknown) => this.#completeDelivery(delivery, response) };
    return completable;
  }

  /** A plainly received message completes a waiting sender, without a response. */
  #answerWhenDurable(id: number): void {
    const { instance } = this.#queue;
    const waiters = waitersOf(instance);
    if (!waiters.has(instance.id, id)) return;
    instance.whenDurable().then(
      () => waiters.complete(instance.id, id, undefined),
      () => {},
    );
  }

  #bury(dead: readonly StoredMessage[]): void {
    const { instance } = this.#queue;
    const now = Date.now();
    for (const message of dead) {
      this.store.bury(message, now);
      instance.observer?.notify({
        type: "queue.dead_lettered",
        actor: instance,
        at: now,
        messageId: message.id,
        queue: message.name,
        attempts: message.attempts,
      });
      instance.log.warn(
        { queue: message.name, messageId: message.id, attempts: message.attempts },
        "queue message moved to the dead letters",
      );
      const error = queueErrors.deadLettered(message.id, message.attempts);
      instance.whenDurable().then(
        () => waitersOf(instance).fail(instance.id, message.id, error),
        () => {},
      );
    }
  }
}
