// The actor host: this process's actors. It ties together the directory (which actor a query
// names), activation (one live instance each), the gateway (calls from outside), the group commit,
// the alarm clock and the idle timer, and gives every instance what it needs from its host.

import type { Logger } from "pino";
import type { Conn } from "../actor/conn.ts";
import type { AnyActorDefinition } from "../actor/definition.ts";
import type { FeatureKey, ResourceKey, StopKind } from "../actor/feature.ts";
import type { ActorInstance, InstanceHost } from "../actor/instance.ts";
import type { ActorObserver, WakeCause } from "../actor/observer.ts";
import { ActorError, isErrorCode } from "../base/errors.ts";
import { RepeatedLog } from "../base/repeated-log.ts";
import type { ActorQuery } from "../protocol/query.ts";
import type { StorageDriver } from "../storage/driver.ts";
import { Activations } from "./activation.ts";
import { AlarmClock } from "./alarm-clock.ts";
import { CommitQueue } from "./commit-queue.ts";
import { type Caller, Directory } from "./directory.ts";
import { Gateway } from "./gateway.ts";
import { ObserverSet } from "./observers.ts";
import type { Ownership, Placement, RunningNode } from "./ownership.ts";
import { SleepScheduler } from "./sleep-scheduler.ts";

export interface HostOptions {
  driver: StorageDriver;
  definitions: Readonly<Record<string, AnyActorDefinition>>;
  logger: Logger;
  /** What the runtime provides to features (the in-process client, where databases live, ...). */
  resources?: ReadonlyMap<FeatureKey<unknown>, unknown>;
  /** In a cluster: which actors this host may run (cluster/). */
  ownership?: Ownership;
}

export class ActorHost implements InstanceHost {
  readonly driver: StorageDriver;
  readonly logger: Logger;
  readonly definitions: Readonly<Record<string, AnyActorDefinition>>;
  readonly commits: CommitQueue;
  readonly repeatedLog = new RepeatedLog();
  readonly gateway: Gateway;
  /** Who watches this host's actors: undefined while nobody does, so that instances build no events. */
  observer: ActorObserver | undefined;
  readonly #observers: ObserverSet;
  readonly #activations: Activations;
  readonly #directory: Directory;
  readonly #resources: ReadonlyMap<FeatureKey<unknown>, unknown>;
  readonly #shared = new Map<FeatureKey<unknown>, unknown>();
  readonly #sleeper = new SleepScheduler();
  readonly #alarms: AlarmClock;
  /** Earliest alarm of each awake actor that has one. */
  readonly #awakeAlarms = new Map<string, number>();
  readonly #ownership: Ownership | undefined;
  #closed = false;

  constructor(options: HostOptions) {
    this.driver = options.driver;
    this.logger = options.logger;
    this.definitions = options.definitions;
    this.#resources = options.resources ?? new Map();
    this.#ownership = options.ownership;
    this.commits = new CommitQueue(options.driver, options.logger, this.repeatedLog);
    this.#observers = new ObserverSet(options.logger);
    const definition = (name: string) => this.definition(name);
    this.#activations = new Activations({
      driver: options.driver,
      definition,
      instanceHost: this,
      assertOpen: () => this.#assertOpen(),
      ownership: options.ownership,
    });
    this.#directory = new Directory(options.driver, this.#activations, definition, options.logger);
    this.gateway = new Gateway(this.#activations);
    this.#alarms = new AlarmClock(
      options.ownership?.alarms ?? options.driver,
      (actorId, now) => this.#fireAlarm(actorId, now),
      () => [...this.#awakeAlarms],
    );
    this.#alarms.start().catch((error: unknown) => this.logger.error({ err: error }, "could not read stored alarms"));
  }

  /** Live instances (awake, starting or stopping), for tests and the inspector. */
  get instances(): ReadonlyMap<string, ActorInstance> {
    return this.#activations.instances;
  }

  /** Starts sending this host's actor events to `observer`; returns what stops it. */
  observe(observer: ActorObserver): () => void {
    this.#observers.add(observer);
    this.observer = this.#observers;
    return () => {
      this.#observers.remove(observer);
      if (this.#observers.size === 0) this.observer = undefined;
    };
  }

  /** Runs `fn` on the live instance of `actorId`, woken for `cause` if it sleeps (and again if it was stopping). */
  withInstance<T>(actorId: string, cause: WakeCause, fn: (instance: ActorInstance) => Promise<T>): Promise<T> {
    return this.#activations.withInstance(actorId, cause, fn);
  }

  /** The open connections of an actor, awake or asleep (they outlive its instances). */
  openConnections(actorId: string): ReadonlyMap<string, Conn> | undefined {
    return this.#activations.openConnections(actorId);
  }

  /** When a live instance sleeps if it stays idle (undefined while busy, or with noSleep). */
  sleepDeadline(instance: ActorInstance): number | undefined {
    return this.#sleeper.deadline(instance);
  }

  /** The earliest alarm of an actor: a live one's from memory, a sleeping one's from storage (when the driver can say). */
  async nextAlarm(actorId: string): Promise<number | undefined> {
    if (this.#activations.instances.has(actorId)) return this.#awakeAlarms.get(actorId);
    return this.driver.actorAlarm?.(actorId);
  }

  definition(name: string): AnyActorDefinition {
    const def = Object.hasOwn(this.definitions, name) ? this.definitions[name] : undefined;
    if (!def) {
      // Which names are registered is not for every caller to learn: it stays out of the error.
      throw new ActorError("actor", "not_registered", `No actor named "${name}" is registered.`, { metadata: { name } });
    }
    return def;
  }

  /** The id of the actor `query` names, creating it for `getOrCreate` and `create` (once it is durable); `caller` is who asks. */
  resolve(query: ActorQuery, caller?: Caller): Promise<string> {
    this.#assertOpen();
    return this.#directory.resolve(query, caller);
  }

  /**
   * Where a call for `actorId` runs: here when its instance runs here (or there is no cluster),
   * else wherever the cluster places it (here, having taken its lease, or on the node that holds it);
   * `forwarded`: another node sent the call here.
   */
  async place(actorId: string, forwarded = false): Promise<Placement> {
    if (this.#ownership === undefined) {
      this.#assertOpen();
      return { kind: "here" };
    }
    if (!this.#closed && this.#activations.instances.get(actorId)?.status === "running") return { kind: "here" };
    // A node that is leaving (or has left) sends calls on to the others until it stops listening.
    return this.#ownership.place(actorId, forwarded);
  }

  /** In a cluster, the node that runs each of these actors (those no live node runs are left out); undefined outside one. */
  runningNodes(actorIds: string[]): Promise<Map<string, RunningNode>> | undefined {
    return this.#ownership?.runningNodes(actorIds);
  }

  /** Whether this host is a cluster node that is leaving (its health check says so, for load balancers). */
  get draining(): boolean {
    return this.#ownership?.draining ?? false;
  }

  /** In a cluster, the token the nodes' forwarded requests carry. */
  get clusterToken(): string | undefined {
    return this.#ownership?.token;
  }

  /** A call forwarded to where `actorId` was placed found no node there: the next call places it afresh. */
  placementFailed(actorId: string): void {
    this.#ownership?.forget(actorId);
  }

  /** This host may no longer run its actors (its cluster lease lapsed): they stop at once, unsaved. Returns how many. */
  fence(error: Error): number {
    return this.#activations.fenceAll(error, "this node lost its cluster lease");
  }

  /** Looks for due alarms now (in a cluster: a node died, and the alarms of its actors may be ours to fire). */
  rescanAlarms(): void {
    this.#alarms.hint(Date.now());
  }

  /** Closes every connection (its client reconnects) and sleeps every live actor (hooks run, state saved), leaving the host open. */
  async drain(): Promise<void> {
    // Connections first: their clients reconnect through other nodes, which forward to this one
    // until the actor has stopped here, then run it themselves.
    this.#activations.closeConnections("this node is shutting down");
    await this.#activations.stopAll();
    await this.commits.settled();
  }

  /** `resolve`, with a new actor's id before its creation is durable (see Directory.resolveEarly). */
  resolveEarly(query: ActorQuery, caller?: Caller): Promise<{ actorId: string; created?: Promise<string> }> {
    this.#assertOpen();
    return this.#directory.resolveEarly(query, caller);
  }

  /** Whether storage still works: undefined, or the typed error that keeps it from working (for the health route). */
  async storageProblem(): Promise<ActorError | undefined> {
    try {
      await this.driver.check?.();
      return undefined;
    } catch (error) {
      return error instanceof ActorError ? error : new ActorError("storage", "error", "The storage check failed.", { cause: error });
    }
  }

  // ---- InstanceHost ----

  shared<T>(key: FeatureKey<T>, create: () => T): T {
    let value = this.#shared.get(key) as T | undefined;
    if (value === undefined) {
      value = create();
      this.#shared.set(key, value);
    }
    return value;
  }

  resource<T>(key: ResourceKey<T>): T | undefined {
    return this.#resources.get(key) as T | undefined;
  }

  connections(actorId: string): Map<string, Conn> {
    return this.#activations.connections(actorId);
  }

  alarmChanged(instance: ActorInstance, at: number | undefined): void {
    if (at === undefined) this.#awakeAlarms.delete(instance.id);
    else {
      this.#awakeAlarms.set(instance.id, at);
      this.#alarms.hint(at);
    }
  }

  async #fireAlarm(actorId: string, now: number): Promise<void> {
    try {
      await this.#activations.withInstance(actorId, "alarm", (instance) => instance.runAlarms(now));
    } catch (error) {
      // A destroyed actor's alarm went with it; anything else is worth a log line.
      // In a cluster, an actor another node runs fires its alarms there.
      const elsewhere = isErrorCode(error, "cluster", "owned_elsewhere") || isErrorCode(error, "cluster", "lease_lost");
      if (!elsewhere && !isErrorCode(error, "actor", "not_found") && !isErrorCode(error, "registry", "shut_down")) {
        // A storage outage fails every actor's alarm each second: logged once per window, counted.
        const cause = error instanceof Error ? error.message : String(error);
        this.repeatedLog.write(this.logger, "error", `alarm failed: ${cause}`, { err: error, actorId }, "alarm failed");
      }
    }
  }

  markIdle(instance: ActorInstance): void {
    if (!this.#closed) this.#sleeper.markIdle(instance);
  }

  stopped(instance: ActorInstance, kind: StopKind): void {
    this.#activations.stopped(instance, kind === "destroy");
    this.#sleeper.forget(instance);
    this.#awakeAlarms.delete(instance.id);
    this.#ownership?.release(instance.id);
  }

  #assertOpen(): void {
    if (!this.#closed) return;
    // A cluster node that left: the call was not applied, and any other node takes it.
    if (this.#ownership) throw new ActorError("cluster", "owned_elsewhere", "This node has left the cluster. Retry the call.");
    throw new ActorError("registry", "shut_down", "The registry has been shut down.");
  }

  // ---- shutdown ----

  /** Stops at once as a crash would: no hooks, no final saves; pending writes are lost. */
  async abandon(): Promise<void> {
    this.#closed = true;
    this.#sleeper.clear();
    this.#alarms.close();
    this.#activations.abandonAll();
    await this.driver.close();
  }

  /** Sleeps every live actor (hooks run, state saved), then closes storage. */
  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#sleeper.clear();
    this.#alarms.close();
    await this.#activations.stopAll();
    await this.commits.settled();
    this.repeatedLog.flush();
    await this.driver.close();
  }
}
