// The context `c` passed to every action and hook: state, vars, identity, events and lifecycle.

import type { Logger } from "pino";
import type { Client } from "../client/types.ts";
import type { ActorQueue } from "../features/queue/api.ts";
import type { QueueFeature } from "../features/queue/feature.ts";
import type { ActorCron, ActorSchedule } from "../features/schedule/api.ts";
import type { ScheduleFeature } from "../features/schedule/feature.ts";
import { actorDatabase } from "../features/db/feature.ts";
import type { DatabaseClientOf } from "../features/db/provider.ts";
import { ActorError } from "../base/errors.ts";
import { type ActorKv, actorKv } from "../features/kv/actor-kv.ts";
import type { Conn } from "./conn.ts";
import type { ActorInstance } from "./instance.ts";

export interface SaveStateOptions {
  /** Wait until the state is durably written. */
  immediate?: boolean;
  /** Write no later than this many ms from now. */
  maxWait?: number;
}

export class ActorContext<S = unknown, CP = unknown, CS = unknown, V = unknown, Q = {}, DB = unknown> {
  /** @internal */
  readonly instance: ActorInstance;
  readonly #conn: Conn<CP, CS> | undefined;

  /** @internal */
  constructor(instance: ActorInstance, conn?: Conn<CP, CS>) {
    this.instance = instance;
    this.#conn = conn;
  }

  get state(): S {
    return this.instance.state as S;
  }
  set state(value: S) {
    this.instance.state = value;
  }

  get vars(): V {
    return this.instance.vars as V;
  }
  set vars(value: V) {
    this.instance.vars = value;
  }

  get actorId(): string {
    return this.instance.id;
  }
  get name(): string {
    return this.instance.name;
  }
  get key(): string[] {
    return [...this.instance.key];
  }
  get log(): Logger {
    return this.instance.log;
  }

  /** Live connections of this actor, by id. */
  get conns(): ReadonlyMap<string, Conn<CP, CS>> {
    return this.instance.conns as ReadonlyMap<string, Conn<CP, CS>>;
  }

  /** The connection that made the current call. */
  get conn(): Conn<CP, CS> {
    if (this.#conn === undefined) {
      throw new ActorError("actor", "invalid_request", "c.conn is only available inside actions and connection hooks.", {
        public: false,
      });
    }
    return this.#conn;
  }

  /** The HTTP request behind the current call or connection (the upgrade request for a WebSocket); undefined in-process. */
  get request(): Request | undefined {
    return this.#conn?.request;
  }

  /** Sends an event to every connection subscribed to it, once the state changes before it are committed. */
  broadcast(name: string, ...args: unknown[]): void {
    this.instance.broadcast(name, args);
  }

  /** This actor's queues: `next`/`nextBatch`/`iter` to receive, `send` to enqueue (see queue/api.ts). */
  get queue(): ActorQueue<Q> {
    return (this.instance.feature("queue") as QueueFeature).api(this) as ActorQueue<Q>;
  }

  /** One-shot schedules: run an action later (`after`, `at`), durably, waking the actor. */
  get schedule(): ActorSchedule {
    return (this.instance.feature("schedule") as ScheduleFeature).api().schedule;
  }

  /** Recurring jobs: run an action on a cron expression (`set`) or an interval (`every`). */
  get cron(): ActorCron {
    return (this.instance.feature("schedule") as ScheduleFeature).api().cron;
  }

  /** The actor's own SQL database, declared with `db: db({...})`; it is open from before the first hook until the actor stops. */
  get db(): DatabaseClientOf<DB> {
    return actorDatabase(this.instance) as DatabaseClientOf<DB>;
  }

  /** The actor's key-value store: ordered by key bytes, committed with the state (acknowledged means durable). */
  get kv(): ActorKv {
    return actorKv(this.instance);
  }

  /** A typed client for calling other actors of the same registry. */
  client<R = unknown>(): Client<R> {
    return this.instance.host.client() as Client<R>;
  }

  /** Asks the actor to sleep: it stops after the current work and wakes on the next call. */
  sleep(): void {
    this.instance.requestStop("sleep");
  }

  /** Destroys the actor: `onDestroy` runs, its data is deleted and its key is freed. */
  destroy(): void {
    this.instance.requestStop("destroy");
  }

  /** Keeps the actor awake until `promise` settles; returns it. */
  keepAwake<T>(promise: Promise<T>): Promise<T> {
    return this.instance.keepAwake(promise);
  }

  /** Lets `promise` finish before the actor stops, without keeping it awake. */
  waitUntil(promise: Promise<unknown>): void {
    this.instance.waitUntil(promise);
  }

  /** Aborts when the actor starts to sleep or is destroyed. */
  get abortSignal(): AbortSignal {
    return this.instance.abortSignal;
  }
  get aborted(): boolean {
    return this.instance.abortSignal.aborted;
  }

  /** Saves state now (`immediate`), within `maxWait` ms, or on the usual schedule. */
  saveState(options: SaveStateOptions = {}): Promise<void> {
    return this.instance.saveState(options);
  }
}

/** The context of an action or connection hook: `c.conn` is the caller's connection. */
export type ActionContext<S = unknown, CP = unknown, CS = unknown, V = unknown, Q = {}, DB = unknown> = ActorContext<S, CP, CS, V, Q, DB>;
