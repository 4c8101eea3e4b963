// The queue feature of one instance: the queue's data and deliveries, loaded on first use, `c.queue`
// for each context, and the lifecycle (what an ended context did not complete is delivered again).

import type { Feature, FeatureServices, StopKind } from "../../actor/feature.ts";
import { errors } from "../../base/errors.ts";
import { ActorQueue } from "./api.ts";
import { DEFAULT_QUEUE, type QueueDefinition, type QueueMap } from "./definition.ts";
import type { Owner } from "./delivery.ts";
import { Dispatcher } from "./dispatcher.ts";
import { queueErrors } from "./errors.ts";
import { QueueStore } from "./store.ts";
import { waitersOf } from "./waiters.ts";

export class QueueFeature implements Feature {
  readonly instance: FeatureServices;
  readonly #declared: QueueMap | undefined;
  #dispatcher: Dispatcher | undefined;
  #loading: Promise<Dispatcher> | undefined;
  /** Created on first use: every actor has a queue, most never use it. */
  #apis: WeakMap<Owner, ActorQueue<unknown>> | undefined;

  constructor(instance: FeatureServices) {
    this.instance = instance;
    this.#declared = instance.def.config.queues as QueueMap | undefined;
  }

  /** The queue's data and deliveries, loaded on first use so that actors which never use queues pay nothing. */
  dispatcher(): Promise<Dispatcher> {
    if (this.#dispatcher) return Promise.resolve(this.#dispatcher);
    this.#loading ??= (async () => {
      const store = await QueueStore.load(this.instance);
      this.#dispatcher = new Dispatcher(this, store);
      return this.#dispatcher;
    })();
    return this.#loading;
  }

  /** How many messages the queue holds (in flight ones included); undefined until it is loaded (for metrics). */
  get pendingCount(): number | undefined {
    return this.#dispatcher?.store.pending.length;
  }

  /** Whether message `id` is delivered to a consumer and not yet completed or given back (for the inspector). */
  isInFlight(id: number): boolean {
    return this.#dispatcher?.state.isInFlight(id) ?? false;
  }

  /** `c.queue` for a context (one per context: completable messages belong to who received them). */
  api(ctx: Owner): ActorQueue<unknown> {
    this.#apis ??= new WeakMap();
    let api = this.#apis.get(ctx);
    if (!api) {
      api = new ActorQueue(this, ctx);
      this.#apis.set(ctx, api);
    }
    return api;
  }

  /** Whether `name` is open: declared, the default queue, or any name when the actor declares none. */
  declares(name: string): boolean {
    return this.#declared === undefined || name === DEFAULT_QUEUE || Object.hasOwn(this.#declared, name);
  }

  /** The declaration of queue `name`; every name is open when the actor declares none. */
  definition(name: string): QueueDefinition | undefined {
    if (this.#declared === undefined) return undefined;
    const def = Object.hasOwn(this.#declared, name) ? this.#declared[name] : undefined;
    if (def === undefined && name !== DEFAULT_QUEUE) throw queueErrors.notFound(name);
    return def;
  }

  /**
   * Completes message `id` (removes it, and answers a waiting sender once that is durable), whoever
   * received it: also one taken by an earlier activation, as a workflow's recorded receive is.
   * Does nothing for a message no longer pending.
   */
  async complete(id: number, response?: unknown): Promise<void> {
    const dispatcher = this.#dispatcher ?? (await this.dispatcher());
    await dispatcher.complete(id, response);
  }

  /** `owner` is done (its action returned, its loop ended): what it did not complete is delivered again. */
  release(owner: Owner): void {
    this.#dispatcher?.release(owner);
  }

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
