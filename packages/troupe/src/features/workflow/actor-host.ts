// The workflow host of a live actor: history writes join the actor's pending writes (and so its
// group commits), steps count as the actor's work and get the actor's context, and queue
// receives go through c.queue.

import type { Logger } from "pino";
import type { ActorContext } from "../../actor/context.ts";
import type { FeatureServices } from "../../actor/feature.ts";
import { type CompletableQueueMessage, QUEUE, type QueueFeature, queueErrors } from "../queue/key.ts";
import type { ActorSide } from "./context.ts";
import type { QueueDelivery, ReceiveOptions, StepAttempt, WorkflowHost } from "./engine/host.ts";
import { outsideBody } from "./engine/sandbox.ts";
import type { WorkflowErrorEvent } from "./engine/types.ts";
import { stepContext } from "./step-context.ts";
import type { WorkflowOptions } from "./types.ts";

export class ActorWorkflowHost implements WorkflowHost, ActorSide {
  readonly live = true;
  readonly log: Logger;
  readonly #instance: FeatureServices;
  readonly #ctx: ActorContext;
  readonly #options: WorkflowOptions;
  readonly #changed: () => void;
  /** Completable deliveries received in this activation, by message id. */
  readonly #deliveries = new Map<number, CompletableQueueMessage>();

  constructor(instance: FeatureServices, ctx: ActorContext, options: WorkflowOptions, changed: () => void) {
    this.#instance = instance;
    this.#ctx = ctx;
    this.#options = options;
    this.#changed = changed;
    this.log = ordinaryLogger(instance.log);
  }

  get workflowId(): string {
    return this.#instance.id;
  }
  get identity() {
    return { actorId: this.#instance.id, name: this.#instance.name, key: [...this.#instance.key] };
  }

  readonly sink = {
    put: (key: Uint8Array, value: Uint8Array) => this.#instance.writes.put(key, value),
    deleteRange: (start: Uint8Array, end: Uint8Array) => this.#instance.writes.deleteRange(start, end),
  };

  actor(): ActorContext {
    return this.#ctx;
  }

  stepContext(attempt: StepAttempt): unknown {
    return stepContext(this.#ctx, attempt);
  }

  durable(): Promise<void> {
    return this.#instance.whenDurable();
  }

  keepAwake<T>(promise: Promise<T>): Promise<T> {
    return this.#instance.keepAwake(promise);
  }

  alarmsChanged(): void {
    this.#changed();
  }

  async receive(options: ReceiveOptions, signal: AbortSignal): Promise<QueueDelivery | undefined> {
    // Each receive is its own owner, so that a message one branch holds does not block another.
    const queue = this.#queue().api({});
    const message = await queue.next({ names: options.names, timeout: options.timeout, completable: true, signal });
    if (message === undefined) return undefined;
    this.#deliveries.set(message.id, message as CompletableQueueMessage);
    return { id: message.id, name: message.name, body: message.body, createdAt: message.createdAt };
  }

  async acknowledge(id: number, response?: unknown): Promise<void> {
    const delivery = this.#deliveries.get(id);
    if (delivery) {
      this.#deliveries.delete(id);
      return delivery.complete(response);
    }
    // Received by an earlier activation (the actor slept or crashed since): complete it in storage.
    await this.#queue().complete(id, response);
  }

  notCompleted(ids: number[]): Error {
    return queueErrors.previousNotCompleted(ids);
  }

  async report(event: WorkflowErrorEvent): Promise<void> {
    const hook = this.#options.onError;
    if (!hook) return;
    try {
      await hook(this.#ctx, event);
    } catch (error) {
      this.#instance.log.error({ err: error }, "workflow onError hook failed");
    }
  }

  #queue(): QueueFeature {
    return this.#instance.feature(QUEUE) as QueueFeature;
  }
}

/**
 * The actor's logger, logging as ordinary code even when workflow body code calls it: its
 * timestamps stay the process's time, and its destination may use timers.
 */
function ordinaryLogger(log: Logger): Logger {
  return new Proxy(log, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result: unknown = outsideBody(() => value.apply(target, args));
        return prop === "child" ? ordinaryLogger(result as Logger) : result;
      };
    },
  });
}
