// The queue feature of one instance: enqueueing with limits and idempotency, delivery to waiting
// consumers in FIFO order, completion, redelivery and dead-lettering.

import { copyValue } from "../../actor/copy.ts";
import type { Feature, FeatureServices, StopKind } from "../../actor/feature.ts";
import type { SendResult } from "../../protocol/query.ts";
import { RUN } from "../run/plugin.ts";
import { decodeCbor, encodeCbor } from "../../base/cbor.ts";
import { errors } from "../../base/errors.ts";
import { type Timer, unrefTimeout } from "../../base/timers.ts";
import { ActorQueue } from "./api.ts";
import { DEFAULT_QUEUE, type QueueDefinition, type QueueMap } from "./definition.ts";
import { queueErrors } from "./errors.ts";
import type { StoredMessage } from "./records.ts";
import { validate } from "./schema.ts";
import { QueueStore } from "./store.ts";
import type { CompletableQueueMessage, QueueMessage } from "./types.ts";
import { waitersOf } from "./waiters.ts";

const MAX_IDEMPOTENCY_KEY_BYTES = 256;

/** Who received a completable message: an action's context, or a run loop's. */
type Owner = object;

interface Delivery {
  message: StoredMessage;
  owner: Owner;
  /** Completed, or given back for redelivery. */
  settled: boolean;
}

interface Consumer {
  owner: Owner;
  names: ReadonlySet<string> | undefined;
  count: number;
  completable: boolean;
  deliver(messages: QueueMessage[]): void;
}

interface LiveState {
  inflight: Map<number, Delivery>;
  outstanding: Map<Owner, Set<Delivery>>;
  consumers: Consumer[];
  apis: WeakMap<Owner, ActorQueue<unknown>>;
}

export interface EnqueueOptions {
  idempotencyKey?: string;
  /** Register a completion waiter (before any consumer can see the message). */
  wait?: { timeout?: number; signal?: AbortSignal };
}

export interface Enqueued {
  id: number;
  /** The send repeated an idempotency key: nothing new was enqueued. */
  duplicate: boolean;
  message: StoredMessage | undefined;
  completion?: Promise<SendResult>;
}

export interface ReceiveRequest {
  names?: readonly string[];
  count: number;
  completable: boolean;
  /** Wait for a message (ms; Infinity for no limit); 0 returns at once. */
  wait: number;
  signal?: AbortSignal;
}

export class QueueFeature implements Feature {
  readonly instance: FeatureServices;
  readonly #declared: QueueMap | undefined;
  #store: QueueStore | undefined;
  #loading: Promise<QueueStore> | undefined;
  #liveState: LiveState | undefined;

  constructor(instance: FeatureServices) {
    this.instance = instance;
    this.#declared = instance.def.config.queues as QueueMap | undefined;
  }

  /** Delivery bookkeeping, created on first use: every actor has a queue, most never use it. */
  get #live(): LiveState {
    this.#liveState ??= { inflight: new Map(), outstanding: new Map(), consumers: [], apis: new WeakMap() };
    return this.#liveState;
  }

  /** The queue's data, loaded on first use so that actors which never use queues pay nothing. */
  store(): Promise<QueueStore> {
    if (this.#store) return Promise.resolve(this.#store);
    this.#loading ??= (async () => {
      const store = new QueueStore(this.instance);
      await store.load();
      this.#store = store;
      return store;
    })();
    return this.#loading;
  }

  /** `c.queue` for a context (one per context: completable messages belong to who received them). */
  api(ctx: Owner): ActorQueue<unknown> {
    let api = this.#live.apis.get(ctx);
    if (!api) {
      api = new ActorQueue(this, ctx);
      this.#live.apis.set(ctx, api);
    }
    return api;
  }

  decode(body: Uint8Array): unknown {
    return decodeCbor(body);
  }

  /** The declaration of queue `name`; every name is open when the actor declares none. */
  definition(name: string): QueueDefinition | undefined {
    if (this.#declared === undefined) return undefined;
    const def = Object.hasOwn(this.#declared, name) ? this.#declared[name] : undefined;
    if (def === undefined && name !== DEFAULT_QUEUE) throw queueErrors.notFound(name, Object.keys(this.#declared));
    return def;
  }

  // ---- sending ----

  /** Validates, limits and durably appends a message; resolves once it is committed. */
  async enqueue(name: string, body: unknown, options: EnqueueOptions = {}): Promise<Enqueued> {
    const def = this.definition(name);
    const value = def?.message ? await validate(def.message, body, `message for queue "${name}"`) : body;
    const encoded = encodeCbor(copyValue(value));
    const options_ = this.instance.def.options;
    if (encoded.byteLength > options_.maxQueueMessageSize) throw queueErrors.tooLarge(encoded.byteLength, options_.maxQueueMessageSize);
    const key = options.idempotencyKey;
    if (
      key !== undefined &&
      (typeof key !== "string" || key === "" || new TextEncoder().encode(key).byteLength > MAX_IDEMPOTENCY_KEY_BYTES)
    ) {
      throw queueErrors.invalidKey();
    }
    const store = await this.store();
    if (this.instance.status === "stopped") throw errors.stopping();
    const now = Date.now();
    const waiters = waitersOf(this.instance);
    if (key !== undefined) {
      const id = store.seen(key, now, options_.queueIdempotencyTtl);
      if (id !== undefined) {
        const message = store.pending.find((m) => m.id === id);
        const enqueued: Enqueued = { id, duplicate: true, message };
        if (options.wait) {
          enqueued.completion = message
            ? waiters.wait(this.instance.id, id, options.wait.timeout, options.wait.signal)
            : Promise.resolve({ status: "completed" });
        }
        return enqueued;
      }
    }
    if (store.pending.length >= options_.maxQueueSize) throw queueErrors.full(options_.maxQueueSize);
    const message = store.add(name, encoded, now, key);
    const enqueued: Enqueued = { id: message.id, duplicate: false, message };
    if (options.wait) enqueued.completion = waiters.wait(this.instance.id, message.id, options.wait.timeout, options.wait.signal);
    await this.instance.whenDurable();
    this.#dispatch();
    return enqueued;
  }

  // ---- receiving ----

  /** Takes up to `count` messages for `owner`, waiting for the first one if asked to. */
  async receive(owner: Owner, request: ReceiveRequest): Promise<QueueMessage[]> {
    await this.store();
    // A stopping actor takes no more work from a backlog: a consumer that would wait (a run loop)
    // ends now, as it would had the queue been empty, so the stop waits only for work in flight.
    const { status } = this.instance;
    if (request.wait > 0 && (status === "stopping" || status === "stopped")) throw errors.aborted();
    const unsettled = [...(this.#live.outstanding.get(owner) ?? [])].filter((d) => !d.settled);
    if (unsettled.length > 0) throw queueErrors.previousNotCompleted(unsettled.map((d) => d.message.id));
    const names = request.names ? new Set(request.names) : undefined;
    let messages = this.#take(owner, names, request.count, request.completable);
    if (messages.length === 0 && request.wait > 0) {
      // A run loop blocked here counts as idle: the actor may sleep, and a new message wakes it.
      const run = this.instance.feature(RUN);
      const waiting = this.#wait({ owner, names, count: request.count, completable: request.completable }, request);
      messages = await (run ? run.idleWhile(owner, waiting) : waiting);
    }
    // A completable delivery is counted durably before the consumer acts on it, so that a message
    // that crashes the process every time still reaches the dead letters.
    if (request.completable && messages.length > 0) await this.instance.whenDurable();
    return messages;
  }

  #wait(consumer: Omit<Consumer, "deliver">, request: ReceiveRequest): Promise<QueueMessage[]> {
    return new Promise((resolve, reject) => {
      const signals = [this.instance.abortSignal, request.signal].filter((s) => s !== undefined);
      let timer: Timer | undefined;
      const finish = () => {
        timer?.cancel();
        for (const s of signals) s.removeEventListener("abort", onAbort);
        const at = this.#live.consumers.indexOf(entry);
        if (at >= 0) this.#live.consumers.splice(at, 1);
      };
      const onAbort = () => {
        finish();
        reject(errors.aborted());
      };
      const entry: Consumer = {
        ...consumer,
        deliver: (messages) => {
          finish();
          resolve(messages);
        },
      };
      if (signals.some((s) => s.aborted)) return reject(errors.aborted());
      for (const s of signals) s.addEventListener("abort", onAbort, { once: true });
      if (Number.isFinite(request.wait)) {
        timer = unrefTimeout(() => {
          finish();
          resolve([]);
        }, request.wait);
      }
      this.#live.consumers.push(entry);
    });
  }

  /** Hands available messages to waiting consumers, oldest consumer first. */
  #dispatch(): void {
    for (let i = 0; i < this.#live.consumers.length; ) {
      const consumer = this.#live.consumers[i] as Consumer;
      const messages = this.#take(consumer.owner, consumer.names, consumer.count, consumer.completable);
      if (messages.length > 0) consumer.deliver(messages);
      else i++;
    }
  }

  #take(owner: Owner, names: ReadonlySet<string> | undefined, count: number, completable: boolean): QueueMessage[] {
    const store = this.#store;
    if (!store) return [];
    const out: QueueMessage[] = [];
    const now = Date.now();
    const maxDeliveries = this.instance.def.options.maxQueueDeliveries;
    for (let i = 0; i < store.pending.length && out.length < count; ) {
      const message = store.pending[i] as StoredMessage;
      if (this.#live.inflight.has(message.id) || (names && !names.has(message.name))) {
        i++;
        continue;
      }
      if (message.attempts >= maxDeliveries) {
        this.#bury(message, now);
        continue;
      }
      if (completable) {
        store.delivered(message);
        const delivery: Delivery = { message, owner, settled: false };
        this.#live.inflight.set(message.id, delivery);
        let set = this.#live.outstanding.get(owner);
        if (!set) {
          set = new Set();
          this.#live.outstanding.set(owner, set);
        }
        set.add(delivery);
        out.push(this.#present(message, delivery));
        i++;
      } else {
        store.remove(message);
        out.push(this.#present(message, undefined));
        this.#resolveWhenDurable(message.id, undefined);
      }
    }
    return out;
  }

  #present(message: StoredMessage, delivery: Delivery | undefined): QueueMessage {
    const base = {
      id: message.id,
      name: message.name,
      body: decodeCbor(message.body),
      createdAt: message.createdAt,
      attempts: delivery ? message.attempts : 0,
    };
    if (!delivery) return base;
    const completable: CompletableQueueMessage = { ...base, complete: (response?: unknown) => this.#complete(delivery, response) };
    return completable;
  }

  // ---- completion, redelivery, dead letters ----

  async #complete(delivery: Delivery, response: unknown): Promise<void> {
    const { message } = delivery;
    const def = this.definition(message.name);
    const value =
      def?.complete && response !== undefined ? await validate(def.complete, response, `completion of queue "${message.name}"`) : response;
    if (this.instance.status === "stopped") throw errors.stopping();
    const store = this.#store as QueueStore;
    // A delivery given back for redelivery may still complete its message, if nobody else has.
    if (!store.isPending(message)) throw queueErrors.alreadyCompleted(message.id);
    this.#settle(delivery);
    await this.complete(message.id, value);
  }

  /**
   * Completes message \`id\` (removes it, and answers a waiting sender once that is durable), whoever
   * received it: also one taken by an earlier activation, as a workflow's recorded receive is.
   * Does nothing for a message no longer pending.
   */
  async complete(id: number, response?: unknown): Promise<void> {
    const store = this.#store ?? (await this.store());
    const message = store.pending.find((m) => m.id === id);
    if (message === undefined) return;
    this.#liveState?.inflight.delete(id);
    store.remove(message);
    await this.instance.whenDurable();
    waitersOf(this.instance).complete(this.instance.id, id, response);
  }

  #settle(delivery: Delivery): void {
    delivery.settled = true;
    const set = this.#live.outstanding.get(delivery.owner);
    set?.delete(delivery);
    if (set?.size === 0) this.#live.outstanding.delete(delivery.owner);
  }

  /** `owner` is done (its action returned, its loop ended): what it did not complete is delivered again. */
  release(owner: Owner): void {
    const set = this.#liveState?.outstanding.get(owner);
    if (!set) return;
    const now = Date.now();
    for (const delivery of [...set]) {
      this.#settle(delivery);
      if (this.#live.inflight.get(delivery.message.id) === delivery) this.#live.inflight.delete(delivery.message.id);
      const { message } = delivery;
      if (this.#store?.isPending(message) && message.attempts >= this.instance.def.options.maxQueueDeliveries) this.#bury(message, now);
    }
    this.#dispatch();
  }

  #bury(message: StoredMessage, now: number): void {
    (this.#store as QueueStore).bury(message, now);
    this.instance.log.warn(
      { queue: message.name, messageId: message.id, attempts: message.attempts },
      "queue message moved to the dead letters",
    );
    const error = queueErrors.deadLettered(message.id, message.attempts);
    this.instance.whenDurable().then(
      () => waitersOf(this.instance).fail(this.instance.id, message.id, error),
      () => {},
    );
  }

  #resolveWhenDurable(id: number, response: unknown): void {
    const waiters = waitersOf(this.instance);
    if (!waiters.has(this.instance.id, id)) return;
    this.instance.whenDurable().then(
      () => waiters.complete(this.instance.id, id, response),
      () => {},
    );
  }

  /** Replays dead letters (all, or those with the given ids) at the end of the queue. */
  async replayDead(ids: readonly number[] | undefined): Promise<number> {
    const store = await this.store();
    const letters = store.dead.filter((l) => ids === undefined || ids.includes(l.id));
    const room = this.instance.def.options.maxQueueSize - store.pending.length;
    if (letters.length > room) throw queueErrors.full(this.instance.def.options.maxQueueSize);
    const now = Date.now();
    for (const letter of letters) store.revive(letter, now);
    await this.instance.whenDurable();
    this.#dispatch();
    return letters.length;
  }

  async deleteDead(ids: readonly number[] | undefined): Promise<number> {
    const store = await this.store();
    const letters = store.dead.filter((l) => ids === undefined || ids.includes(l.id));
    for (const letter of letters) store.drop(letter);
    await this.instance.whenDurable();
    return letters.length;
  }

  // ---- lifecycle ----

  contextEnded(ctx: Owner): void {
    this.release(ctx);
  }

  afterStop(kind: StopKind): void {
    // Senders waiting on this actor's messages learn that the actor is gone; after a sleep they
    // keep waiting, for the next activation completes those messages.
    if (kind === "destroy") {
      waitersOf(this.instance).failActor(this.instance.id, errors.notFound(`id ${this.instance.id} (destroyed)`));
    }
  }
}
