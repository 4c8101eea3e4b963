// The extension points of the core. A feature (queues, schedules, the database, workflows, ...)
// is a plugin: it names the config keys and options it owns, the members it adds to the context
// `c`, and builds a per-instance part that the instance calls at fixed points of its life. The
// core knows no feature; the composition root (runtime/features.ts) lists them.

import type { Logger } from "pino";
import type { ErrorCodeTable } from "../base/error-codes.ts";
import type { Bytes, ListOptions } from "../storage/driver.ts";
import type { Conn } from "./conn.ts";
import type { ActorContext } from "./context.ts";
import type { AnyActorDefinition } from "./definition.ts";
import type { ActorObserver, StopReason } from "./observer.ts";
import type { OptionSpec } from "./options.ts";
import type { WriteSet } from "./write-set.ts";

/** How an instance starts: its actor was just created (nothing of it is stored yet), or wakes. */
export type StartKind = "create" | "wake";
export type StopKind = "sleep" | "destroy";
export type InstanceStatus = "starting" | "running" | "stopping" | "stopped";

/** A typed name: `services.feature(QUEUE)` is the queue feature, with its type. */
export interface FeatureKey<T> {
  readonly name: string;
  /** Type only. */
  readonly "~type"?: T;
}

export function featureKey<T>(name: string): FeatureKey<T> {
  return { name };
}

/** What the runtime provides to features (e.g. where actor databases live), by typed key. */
export type ResourceKey<T> = FeatureKey<T>;

/** One feature's part in one instance, called at fixed points of the instance's life. */
export interface Feature {
  /** On every start, before any lifecycle hook (e.g. database migrations, loading what is stored). */
  beforeStart?(kind: StartKind): Promise<void> | void;
  /** On every start, after `onWake` (e.g. the run handler). */
  afterStart?(): void;
  /** The earliest time (ms) this feature needs `onAlarm`, if any. */
  nextAlarm?(): number | undefined;
  /**
   * An alarm of this actor is due: run what is due at `now`. Return quickly (start long work in
   * the background): the alarm clock waits for every due actor before its next round.
   */
  onAlarm?(now: number): Promise<void> | void;
  /**
   * A context is over: its action returned, threw or finished after timing out, or its run loop
   * ended. The feature gives back what that context held (e.g. uncompleted queue messages).
   */
  contextEnded?(owner: object): void;
  /** The stop sequence has begun (abort signal fired), before onSleep/onDestroy. */
  stopping?(kind: StopKind): Promise<void> | void;
  /** After the final commit: release resources; on destroy, delete them. Also after a failed start, as "sleep". */
  afterStop?(kind: StopKind): Promise<void> | void;
}

/**
 * What a feature may use of the instance it belongs to. Features see nothing else of the core:
 * neither the storage driver nor the host nor the other parts of the instance.
 */
export interface FeatureServices {
  readonly id: string;
  readonly name: string;
  readonly key: readonly string[];
  readonly log: Logger;
  readonly def: AnyActorDefinition;
  readonly status: InstanceStatus;
  /** The activation epoch the instance writes with (the fencing token of cluster mode). */
  readonly epoch: number;
  /** The actor's record is not stored yet: the instance is creating it. */
  readonly creating: boolean;
  /** Reads of the actor's own key-value namespace, as committed (pending writes are in `writes`). */
  read(keys: Bytes[]): Promise<Array<Bytes | undefined>>;
  list(options: ListOptions): Promise<Array<[Bytes, Bytes]>>;
  /** Writes for the next group commit; every write schedules one. */
  readonly writes: WriteSet;
  /** Resolves once everything written so far is durable (at once with relaxed durability). */
  whenDurable(): Promise<void>;
  /** Resolves once everything written so far is committed, whatever the durability. */
  flush(): Promise<void>;
  /** The features' earliest alarm may have changed: recompute and store it. */
  refreshAlarm(): void;
  keepAwake<T>(promise: Promise<T>): Promise<T>;
  waitUntil(promise: Promise<unknown>): void;
  readonly abortSignal: AbortSignal;
  /**
   * Storage no longer holds what the instance holds (a write outside the group commit failed, or
   * was fenced): it stops at once, saving nothing, and the next call wakes it from storage.
   */
  lost(error: Error): void;
  /** Asks the instance to stop after the current turn; `reason` is what observers are told (default "requested"). */
  requestStop(kind: StopKind, reason?: StopReason): void;
  /** Who watches the actor (undefined when nobody does): features report their own events to it. */
  readonly observer: ActorObserver | undefined;
  /** Another feature of this instance (undefined when the actor does not use it). */
  feature<T>(key: FeatureKey<T>): T | undefined;
  /** A context `c` for hooks the feature runs (`conn` makes `c.conn`). */
  context(conn?: Conn): ActorContext;
  /** A context (`owner`) is over: every feature gives back what it held. */
  contextEnded(owner: object): void;
  /** Runs an action as a call from inside the actor (schedules, cron). */
  invoke(action: string, args: unknown[]): Promise<unknown>;
  /** One object per host under `key`, created on first use (e.g. senders waiting across activations). */
  shared<T>(key: FeatureKey<T>, create: () => T): T;
  /** Something the runtime provides (undefined when it provides none). */
  resource<T>(key: ResourceKey<T>): T | undefined;
  /** The error a caller may see; an internal error is logged in full. */
  publicError(error: unknown, what: string): Error;
}

/** A member a feature adds to the context `c` (a getter): `c.queue`, `c.db`, ... */
export type ContextMember = (c: ActorContext, services: FeatureServices) => unknown;

export interface FeaturePlugin<T extends Feature = Feature> {
  readonly key: FeatureKey<T>;
  /** Top-level keys of `actor({...})` this feature owns, each with its check (throws `config.invalid`). */
  readonly config?: Readonly<Record<string, (value: unknown) => void>>;
  /** Actor options this feature owns. */
  readonly options?: Readonly<Record<string, OptionSpec>>;
  /** Members of the context `c`. */
  readonly context?: Readonly<Record<string, ContextMember>>;
  /** The error codes the feature's errors carry (listed in docs/errors.md). */
  readonly errorCodes?: ErrorCodeTable;
  /** The byte that prefixes the feature's keys in each actor's namespace (one per feature). */
  readonly storagePrefix?: number;
  /** The feature's part in one instance, or undefined when the actor does not use it. */
  create(services: FeatureServices): T | undefined;
}
