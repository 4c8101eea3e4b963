// The workflow context `ctx` users get: the engine's durable calls (engine/context.ts) plus the
// actor's identity, logger and APIs. The actor's state and `c.*` work inside steps only: a change
// made outside a step would not be replayed in order with the history.

import type { Logger } from "pino";
import type { ActorContext } from "../../actor/context.ts";
import type { DatabaseClientOf } from "../db/plugin.ts";
import type { QueueBody, QueueCompletion, QueueName } from "../queue/key.ts";
import { DurableContext } from "./engine/context.ts";
import { workflowErrors } from "./engine/errors.ts";
import type { QueueNextOptions, WorkflowMessage } from "./engine/queue.ts";
import type { WorkflowScope } from "./engine/scope.ts";
import type { StepContext } from "./types.ts";

/** The actor a workflow's contexts belong to: the live one, or a stand-in when a history is replayed. */
export interface ActorSide {
  readonly identity: { actorId: string; name: string; key: readonly string[] };
  readonly log: Logger;
  /** The actor's context, for code that runs inside steps. */
  actor(): ActorContext;
}

export class WorkflowContext<S = unknown, V = unknown, Q = {}, DB = unknown> extends DurableContext<
  WorkflowContext<S, V, Q, DB>,
  StepContext<S, V, Q, DB>
> {
  readonly #scope: WorkflowScope;
  readonly #side: ActorSide;

  /** @internal Made by the run's context factory, for each scope (the body, a branch, a loop iteration). */
  constructor(scope: WorkflowScope, side: ActorSide) {
    super(scope);
    this.#scope = scope;
    this.#side = side;
  }

  get actorId(): string {
    return this.#side.identity.actorId;
  }
  get name(): string {
    return this.#side.identity.name;
  }
  get key(): string[] {
    return [...this.#side.identity.key];
  }
  override get log(): Logger {
    return this.#side.log;
  }

  /** The actor's queue, read durably: a received message is recorded and never received again. */
  override get queue(): WorkflowQueue<Q> {
    return {
      next: super.queue.next,
      nextBatch: super.queue.nextBatch,
      send: (name, body) => this.#actor("queue.send").queue.send(name as never, body as never),
    } as WorkflowQueue<Q>;
  }

  // ---- the actor, inside steps only ----

  get state(): S {
    return this.#actor("state").state as S;
  }
  set state(value: S) {
    this.#actor("state").state = value;
  }
  get db(): DatabaseClientOf<DB> {
    return this.#actor("db").db as DatabaseClientOf<DB>;
  }
  get vars(): V {
    return this.#actor("vars").vars as V;
  }
  set vars(value: V) {
    this.#actor("vars").vars = value;
  }
  /** `c.client()` of the actor (inside steps only). */
  get client(): ActorContext["client"] {
    const c = this.#actor("client");
    return c.client.bind(c);
  }
  broadcast(name: string, ...args: unknown[]): void {
    this.#actor("broadcast").broadcast(name, ...args);
  }
  keepAwake<T>(promise: Promise<T>): Promise<T> {
    return this.#actor("keepAwake").keepAwake(promise);
  }
  waitUntil(promise: Promise<unknown>): void {
    this.#actor("waitUntil").waitUntil(promise);
  }
  destroy(): void {
    this.#actor("destroy").destroy();
  }

  #actor(feature: string): ActorContext {
    if (!this.#scope.inStepCode) throw workflowErrors.outsideStep(feature);
    return this.#side.actor();
  }
}

/** A message of one of the queues `N` (a union, so checking `name` narrows `body`). */
export type WorkflowMessageOf<Q, N> = N extends string ? WorkflowMessage<QueueBody<Q, N>, QueueCompletion<Q, N>> & { name: N } : never;

export interface WorkflowQueue<Q = {}> {
  /** Waits durably for one message. */
  next<N extends QueueName<Q> = QueueName<Q>>(
    name: string,
    options?: Omit<QueueNextOptions<N>, "timeout">,
  ): Promise<WorkflowMessageOf<Q, N>>;
  /** Waits durably for one message; undefined when `timeout` passes first. */
  next<N extends QueueName<Q> = QueueName<Q>>(name: string, options: QueueNextOptions<N>): Promise<WorkflowMessageOf<Q, N> | undefined>;
  /** Waits durably for a first message, then takes up to `count - 1` more already queued; `[]` on timeout. */
  nextBatch<N extends QueueName<Q> = QueueName<Q>>(
    name: string,
    options?: QueueNextOptions<N> & { count?: number },
  ): Promise<Array<WorkflowMessageOf<Q, N>>>;
  /** Sends to the actor's own queue (inside steps only). */
  send<N extends QueueName<Q>>(name: N, body: QueueBody<Q, N>): Promise<unknown>;
}
