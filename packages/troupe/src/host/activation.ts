// Activation: the live instances of this process, at most one per actor. An actor is woken on
// demand (its record read, its instance started) and forgotten once it stops; a call that finds
// its instance stopping waits for the stop and retries on a fresh one.

import type { Conn } from "../actor/conn.ts";
import type { AnyActorDefinition } from "../actor/definition.ts";
import { ActorInstance, type InstanceHost } from "../actor/instance.ts";
import type { WakeCause } from "../actor/observer.ts";
import { forEachBounded } from "../base/bounded.ts";
import { errors, isErrorCode } from "../base/errors.ts";
import { keyId } from "../protocol/keys.ts";
import type { ActorRecord, StorageDriver } from "../storage/driver.ts";
import type { Ownership } from "./ownership.ts";

/** How many times a wake reads the record and claims it when other runtimes keep claiming it first. */
const WAKE_ATTEMPTS = 3;

export interface ActivationOptions {
  driver: StorageDriver;
  definition(name: string): AnyActorDefinition;
  /** What every instance gets from the host. */
  instanceHost: InstanceHost;
  assertOpen(): void;
  /** In a cluster: the lease an instance needs before it starts. */
  ownership?: Ownership;
}

/** Instances a shutdown stops at once (base/bounded.ts): enough for large group commits. */
const STOPS_AT_ONCE = 4096;

export class Activations {
  readonly #options: ActivationOptions;
  readonly #instances = new Map<string, ActorInstance>();
  readonly #starting = new Map<string, Promise<ActorInstance>>();
  /** name+key → id of the live (or starting) instances, so that resolving them reads no storage. */
  readonly #liveKeys = new Map<string, string>();
  /** Open connections by actor; kept while the actor sleeps, so they survive it. */
  readonly #conns = new Map<string, Map<string, Conn>>();

  constructor(options: ActivationOptions) {
    this.#options = options;
  }

  /** Live instances (awake, starting or stopping). */
  get instances(): ReadonlyMap<string, ActorInstance> {
    return this.#instances;
  }

  /** The id of the live actor with this name and key, if one is live. */
  liveId(name: string, key: readonly string[]): string | undefined {
    return this.#liveKeys.get(keyId(name, key));
  }

  /** Starts a new actor's first instance; resolves once it is running. */
  async create(def: AnyActorDefinition, record: ActorRecord, input: unknown): Promise<ActorInstance> {
    await this.#options.ownership?.acquire(record.id, true);
    const instance = new ActorInstance(this.#options.instanceHost, def, record, undefined);
    this.#register(instance);
    const started = instance.start({ kind: "create", record, input }).then(() => instance);
    // Only concurrent callers await it; the creator reports a failed start itself, so a failure
    // nobody else waited for must not surface as an unhandled rejection.
    started.catch(() => {});
    this.#starting.set(record.id, started);
    try {
      return await started;
    } catch (error) {
      this.forget(instance);
      this.#options.ownership?.release(record.id);
      throw error;
    } finally {
      this.#starting.delete(record.id);
    }
  }

  /** The instance of `actorId` if it is running now. */
  #running(actorId: string): ActorInstance | undefined {
    this.#options.assertOpen();
    const live = this.#instances.get(actorId);
    return live?.status === "running" ? live : undefined;
  }

  /** The running instance of `actorId`, woken (for `cause`) if it sleeps. */
  async instance(actorId: string, cause: WakeCause = "other"): Promise<ActorInstance> {
    for (;;) {
      const running = this.#running(actorId);
      if (running) return running;
      const live = this.#instances.get(actorId);
      const starting = this.#starting.get(actorId);
      if (starting) {
        await starting;
        continue;
      }
      if (live?.status === "stopping" || live?.status === "stopped") {
        await live.stop(live.stopKind ?? "sleep");
        this.forget(live);
        continue;
      }
      const activation = this.#wake(actorId, cause);
      this.#starting.set(actorId, activation);
      try {
        return await activation;
      } finally {
        this.#starting.delete(actorId);
      }
    }
  }

  async #wake(actorId: string, cause: WakeCause): Promise<ActorInstance> {
    const { ownership } = this.#options;
    if (!ownership) return this.#claim(actorId, cause);
    await ownership.acquire(actorId, false);
    try {
      return await this.#claim(actorId, cause);
    } catch (error) {
      ownership.release(actorId);
      throw error;
    }
  }

  /** Reads the actor's record and starts an instance, which claims the actor with a new epoch. */
  async #claim(actorId: string, cause: WakeCause): Promise<ActorInstance> {
    for (let attempt = 1; ; attempt++) {
      const record = await this.#options.driver.getActorById(actorId);
      if (!record) throw errors.notFound(`id ${actorId}`);
      const def = this.#options.definition(record.name);
      const instance = new ActorInstance(this.#options.instanceHost, def, record, this.#conns.get(actorId));
      this.#register(instance);
      try {
        await instance.start({ kind: "wake", record, cause });
        return instance;
      } catch (error) {
        this.forget(instance);
        // Another runtime on the same storage claimed the actor (or destroyed it) between the read
        // of its record and this instance's claim: read the record again.
        if (isErrorCode(error, "actor", "fenced") && attempt < WAKE_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** Runs `fn` on the live instance (woken for `cause`), retrying on a fresh one if this one was stopping. */
  async withInstance<T>(actorId: string, cause: WakeCause, fn: (instance: ActorInstance) => Promise<T>): Promise<T> {
    for (;;) {
      // A running actor (the common case) is used at once, without the wait of an activation.
      const instance = this.#running(actorId) ?? (await this.instance(actorId, cause));
      try {
        return await fn(instance);
      } catch (error) {
        if (isErrorCode(error, "actor", "stopping") && instance.status !== "running") continue;
        throw error;
      }
    }
  }

  #register(instance: ActorInstance): void {
    this.#instances.set(instance.id, instance);
    this.#liveKeys.set(keyId(instance.name, instance.key), instance.id);
  }

  forget(instance: ActorInstance): void {
    if (this.#instances.get(instance.id) !== instance) return;
    this.#instances.delete(instance.id);
    const kid = keyId(instance.name, instance.key);
    if (this.#liveKeys.get(kid) === instance.id) this.#liveKeys.delete(kid);
  }

  /** The connection map of an actor (kept across sleep), created when missing. */
  connections(actorId: string): Map<string, Conn> {
    let conns = this.#conns.get(actorId);
    if (!conns) {
      conns = new Map();
      this.#conns.set(actorId, conns);
    }
    return conns;
  }

  /** The actor's open connections, if it has any (read-only: they are kept across its sleep). */
  openConnections(actorId: string): ReadonlyMap<string, Conn> | undefined {
    return this.#conns.get(actorId);
  }

  /** Drops a connection that no instance can serve any more (its actor failed to wake for it). */
  forgetConnection(actorId: string, conn: Conn): void {
    const conns = this.#conns.get(actorId);
    if (conns?.delete(conn.id) && conns.size === 0 && !this.#instances.has(actorId)) this.#conns.delete(actorId);
  }

  /** Whether `conn` is one of the actor's open connections. */
  isOpen(actorId: string, conn: Conn): boolean {
    return this.#conns.get(actorId)?.has(conn.id) ?? false;
  }

  /** An instance stopped: a sleeping actor keeps only the connections that stay open across its sleep. */
  stopped(instance: ActorInstance, destroyed: boolean): void {
    this.forget(instance);
    if (destroyed || this.#conns.get(instance.id)?.size === 0) this.#conns.delete(instance.id);
  }

  /** Waits for the starts under way, then stops every live instance (hooks run, state saved). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#starting.values()].map((p) => p.catch(() => undefined)));
    await forEachBounded([...this.#instances.values()], STOPS_AT_ONCE, (instance) =>
      instance.stop(instance.stopKind ?? "sleep", "shutdown"),
    );
  }

  /**
   * This host may no longer run its actors (its cluster lease lapsed): every instance stops at
   * once without saving, and every connection closes, asking its client to reconnect (to whichever
   * node runs the actor next). Returns how many instances were stopped.
   */
  fenceAll(error: Error, reason: string): number {
    const live = [...this.#instances.values()];
    for (const instance of live) instance.lost(error);
    this.closeConnections(reason);
    return live.length;
  }

  /** Closes every open connection, asking its client to reconnect (the actors run elsewhere next). */
  closeConnections(reason: string): void {
    const conns = [...this.#conns.values()];
    // Forgotten first, so that the closes do not wake the actors to say goodbye.
    this.#conns.clear();
    for (const byId of conns) for (const conn of byId.values()) conn.sink?.close(reason, true);
  }

  /** Drops every instance at once, as a crash would. */
  abandonAll(): void {
    for (const instance of this.#instances.values()) instance.abandon();
    this.#instances.clear();
  }
}
