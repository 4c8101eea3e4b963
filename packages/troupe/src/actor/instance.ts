// One live actor: its state behind the change tracker, its vars, its actions and connections,
// and its lifecycle from start to stop. It is the one place where these meet, so it is longer than
// the rest; what stands alone lives beside it (pending-writes, output-gate, state-proxy, conn,
// context, run) and this file keeps to the order in which an actor lives: start, state, commits,
// actions, connections, activity and stop.

import type { Logger } from "pino";
import { decodeCbor, encodeCbor } from "../base/cbor.ts";
import { ActorError, errors, isActorError, toPublicError } from "../base/errors.ts";
import type { ActorRecord, CommitBatch, StorageDriver } from "../storage/driver.ts";
import { isPromiseLike, nextTurn, unrefTimeout, withTimeout } from "../base/timers.ts";
import type { Conn, ConnOwner, ConnSink } from "./conn.ts";
import { ActorContext, type SaveStateOptions } from "./context.ts";
import { copyValue } from "./copy.ts";
import type { AnyActorDefinition } from "./definition.ts";
import type { Feature, FeatureFactory } from "./feature.ts";
import { FEATURE_FACTORIES, FEATURE_NAMES } from "../runtime/features.ts";
import { toStorable } from "./serializable.ts";
import { type StateHooks, StateTracker } from "./state-proxy.ts";
import { STATE_KEY } from "./storage-keys.ts";
import { PendingWrites, type WritesOwner } from "./pending-writes.ts";
import type { WriteSet } from "./write-set.ts";

export type StopKind = "sleep" | "destroy";
export type InstanceStatus = "starting" | "running" | "stopping" | "stopped";

/** What an instance needs from the host that runs it. */
export interface InstanceHost {
  readonly driver: StorageDriver;
  readonly logger: Logger;
  requestCommit(instance: ActorInstance): void;
  markIdle(instance: ActorInstance): void;
  stopped(instance: ActorInstance, kind: StopKind): void;
  /** The host's connection map of an actor (kept across sleep), created when missing. */
  connections(actorId: string): Map<string, Conn>;
  /** The instance's earliest alarm changed (undefined: none). */
  alarmChanged(instance: ActorInstance, at: number | undefined): void;
  client(): unknown;
}

export type StartMode = { kind: "create"; record: ActorRecord; input: unknown } | { kind: "wake"; record: ActorRecord };

/** Shared by the instances that use no feature, so that they do not each hold an empty Map. */
const NO_CONNS: ReadonlyMap<string, Conn> = new Map();

/** Instances with the same features share one array of their names. */
const featureNameLists = new Map<string, readonly string[]>();
function internNames(names: string[]): readonly string[] {
  const id = names.join(",");
  let shared = featureNameLists.get(id);
  if (!shared) {
    shared = names;
    featureNameLists.set(id, shared);
  }
  return shared;
}

export class ActorInstance implements ConnOwner, StateHooks, WritesOwner {
  readonly id: string;
  readonly name: string;
  readonly key: readonly string[];
  readonly def: AnyActorDefinition;
  readonly host: InstanceHost;
  #conns: Map<string, Conn> | undefined;
  status: InstanceStatus = "starting";
  /** In-flight actions, hooks and keepAwake promises; the actor is idle at 0. */
  active = 0;

  readonly #pending: PendingWrites;
  #raw: unknown;
  #tracker: StateTracker | undefined;
  #vars: unknown;
  #abort: AbortController | undefined;
  #waitUntil: Set<Promise<unknown>> | undefined;
  #drained: Array<() => void> | undefined;
  #stopKind: StopKind | undefined;
  #stopping: Promise<void> | undefined;
  #stateChangeQueued = false;
  #inStateChange = false;
  #log: Logger | undefined;
  /** The features that apply to this actor, in FEATURE_NAMES order, and their names. */
  readonly #features: readonly Feature[];
  readonly #featureNames: readonly string[];
  /** The alarm last written to storage; undefined when unknown (just woken). */
  #alarmAt: number | null | undefined;

  constructor(host: InstanceHost, def: AnyActorDefinition, record: ActorRecord, conns: Map<string, Conn> | undefined) {
    this.host = host;
    this.def = def;
    this.id = record.id;
    this.name = record.name;
    this.key = record.key;
    this.#conns = conns;
    if (conns) for (const conn of conns.values()) conn.owner = this;
    const features: Feature[] = [];
    const names: string[] = [];
    for (let i = 0; i < FEATURE_FACTORIES.length; i++) {
      const feature = (FEATURE_FACTORIES[i] as FeatureFactory)(this);
      if (feature === undefined) continue;
      features.push(feature);
      names.push(FEATURE_NAMES[i] as string);
    }
    this.#features = features;
    this.#featureNames = internNames(names);
    this.#pending = new PendingWrites(this);
  }

  // ---- WritesOwner: what the pending writes need (internal) ----

  get relaxed(): boolean {
    return this.def.options.durability === "relaxed";
  }

  get saveInterval(): number {
    return this.def.options.stateSaveInterval;
  }

  get writable(): boolean {
    return this.status !== "stopped";
  }

  encodeState(): Uint8Array | undefined {
    return this.def.hasState ? encodeCbor(this.#raw) : undefined;
  }

  requestCommit(): void {
    this.host.requestCommit(this);
  }

  fenced(error: ActorError): void {
    this.#fence(error);
  }

  /** Live connections; the map is the host's, so it survives sleep, and exists only once needed. */
  get conns(): ReadonlyMap<string, Conn> {
    return this.#conns ?? NO_CONNS;
  }

  #connsToWrite(): Map<string, Conn> {
    this.#conns ??= this.host.connections(this.id);
    return this.#conns;
  }

  /** Key-value writes (queue, schedule, kv, ...) waiting for the next commit. */
  get writes(): WriteSet {
    return this.#pending.writes;
  }

  /** A feature of this instance by name (see actor/features.ts). */
  feature<T extends Feature>(name: string): T | undefined {
    return this.#features[this.#featureNames.indexOf(name)] as T | undefined;
  }

  get log(): Logger {
    this.#log ??= this.host.logger.child({ actor: this.name, key: this.key, actorId: this.id });
    return this.#log;
  }

  get epoch(): number {
    return this.#pending.epoch;
  }

  // ---- start ----

  async start(mode: StartMode): Promise<void> {
    const config = this.def.config;
    const ctx = new ActorContext(this);
    this.#begin();
    try {
      for (const feature of this.#features) await feature.beforeStart?.();
      if (mode.kind === "create") {
        this.#pending.epoch = mode.record.epoch;
        this.#pending.create = mode.record;
        await this.#initState(ctx, mode.input);
        await config.onCreate?.(ctx, mode.input);
      } else {
        this.#pending.epoch = mode.record.epoch + 1;
        this.#pending.claim = true;
        const [stored] = await this.host.driver.get(this.id, [STATE_KEY]);
        if (stored !== undefined) this.#raw = decodeCbor(stored);
        else if (this.def.hasState) {
          // A definition that gained state after the actor was created: initialize it now.
          await this.#initState(ctx, mode.record.input ? decodeCbor(mode.record.input) : undefined);
        }
      }
      this.#vars = config.createVars
        ? await config.createVars(ctx as ActorContext<unknown, unknown, unknown, undefined>)
        : structuredCloneIfDefined(config.vars);
      await config.onWake?.(ctx);
      this.status = "running";
      for (const feature of this.#features) feature.afterStart?.();
      this.refreshAlarm();
    } catch (error) {
      // A creation that failed leaves nothing behind: its record may already be committed (a hook
      // awaited a write), so it is destroyed; if it was not, create and destroy cancel out.
      if (mode.kind === "create") {
        this.#pending.destroy = true;
        await this.#pending.flush().catch((cleanup: unknown) => this.log.error({ err: cleanup }, "could not undo a failed creation"));
      }
      this.status = "stopped";
      this.#pending.abandon(error);
      await this.#releaseFeatures(mode.kind === "create" ? "destroy" : "sleep");
      throw this.publicError(error, `actor failed to ${mode.kind === "create" ? "be created" : "wake"}`);
    } finally {
      this.#end();
    }
  }

  /** Features give back what they hold (an open database, ...) after a stop, or a start that failed. */
  async #releaseFeatures(kind: StopKind): Promise<void> {
    for (const feature of this.#features) {
      try {
        await feature.afterStop?.(kind);
      } catch (error) {
        this.log.error({ err: error }, "feature failed to release its resources");
      }
    }
  }

  async #initState(ctx: ActorContext, input: unknown): Promise<void> {
    const config = this.def.config;
    // Initial state is stored without calling onStateChange: nothing changed yet.
    if (config.createState) this.#raw = toStorable(await config.createState(ctx as ActorContext<undefined>, input), "state");
    else if (this.def.hasState) this.#raw = toStorable(structuredCloneIfDefined(config.state), "state");
    // Even with no state, the record itself must be committed.
    this.#pending.stateDirty = true;
    this.markWritten();
  }

  // ---- state ----

  get state(): unknown {
    if (!this.def.hasState) {
      throw new ActorError("actor", "state_not_enabled", "This actor has no state: define `state` or `createState` to use c.state.", {
        public: false,
      });
    }
    this.#tracker ??= new StateTracker(this);
    return this.#tracker.root(this.#raw);
  }

  set state(value: unknown) {
    if (!this.def.hasState) void this.state; // throws the same error as reading
    this.#tracker ??= new StateTracker(this);
    this.#tracker.write("state", value, (storable) => {
      this.#raw = storable;
    });
  }

  get vars(): unknown {
    return this.#vars;
  }
  set vars(value: unknown) {
    this.#vars = value;
  }

  /** @internal Called by the state tracker before a write to c.state. */
  beforeStateWrite(): void {
    if (this.#inStateChange) {
      throw new ActorError("actor", "state_mutation_reentrant", "onStateChange must not write c.state; the write was rejected.", {
        public: false,
      });
    }
    if (this.status === "stopped") throw errors.stopping();
  }

  /** @internal Called by the state tracker after a write to c.state. */
  stateChanged(): void {
    this.#pending.stateDirty = true;
    this.markWritten();
    if (this.def.config.onStateChange && !this.#stateChangeQueued) {
      this.#stateChangeQueued = true;
      nextTurn(() => this.#runStateChange());
    }
  }

  #runStateChange(): void {
    this.#stateChangeQueued = false;
    if (this.status === "stopped") return;
    this.#inStateChange = true;
    try {
      this.def.config.onStateChange?.(new ActorContext(this), this.state);
    } catch (error) {
      this.log.error({ err: error }, "onStateChange failed");
    } finally {
      this.#inStateChange = false;
    }
  }

  // ---- commits ----

  /** Something was written (state or `writes`): schedule a commit. */
  markWritten(): void {
    this.#pending.written();
  }

  /** Recomputes the earliest alarm over all features; stores it when it changed. */
  refreshAlarm(force = false): void {
    let next: number | undefined;
    for (const feature of this.#features) {
      const at = feature.nextAlarm?.();
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    const stored = next ?? null;
    if (!force && (stored === this.#alarmAt || (this.#alarmAt === undefined && stored === null))) return;
    this.#alarmAt = stored;
    this.#pending.alarm = stored;
    this.markWritten();
    this.host.alarmChanged(this, next);
  }

  /** An alarm of this actor is due: every feature runs what is due. */
  async runAlarms(now: number): Promise<void> {
    if (this.status !== "running") throw errors.stopping();
    this.#begin();
    try {
      for (const feature of this.#features) {
        try {
          await feature.onAlarm?.(now);
        } catch (error) {
          this.log.error({ err: error }, "alarm handler failed");
        }
      }
    } finally {
      this.refreshAlarm(true);
      this.#end();
    }
  }

  /** Hands the pending writes to the commit queue as one batch. */
  takeBatch(): CommitBatch | undefined {
    return this.#pending.take();
  }

  /** The commit queue reports how the batch from `takeBatch` ended. */
  commitDone(error: Error | undefined): void {
    this.#pending.done(error);
  }

  /** Drops the instance at once: nothing more is saved, nothing more runs (a simulated crash). */
  abandon(): void {
    const error = errors.stopping();
    this.status = "stopped";
    this.#pending.abandon(error);
    (this.#abort ??= new AbortController()).abort(error);
    // A crash frees what the process held: an open database loses its uncommitted transaction.
    void this.#releaseFeatures("sleep");
  }

  #fence(error: ActorError): void {
    this.log.warn({ err: error }, "instance lost ownership of its storage; stopping without saving");
    this.#pending.abandon(error);
    (this.#abort ??= new AbortController()).abort(error);
    this.status = "stopped";
    this.#stopKind ??= "sleep";
    this.#stopping ??= Promise.resolve();
    void this.#releaseFeatures("sleep");
    this.host.stopped(this, "sleep");
  }

  /** Resolves when every write made so far is committed (at once with relaxed durability). */
  whenDurable(): Promise<void> {
    return this.#pending.durable();
  }

  async saveState(options: SaveStateOptions): Promise<void> {
    if (options.immediate) return this.#pending.flush();
    if (options.maxWait !== undefined) {
      const wait = options.maxWait;
      await new Promise<void>((resolve) => unrefTimeout(resolve, wait));
      return this.#pending.flush();
    }
    this.markWritten();
  }

  // ---- actions ----

  async invoke(name: string, args: unknown[], conn: Conn | undefined): Promise<unknown> {
    const fn = this.def.actions.get(name);
    if (fn === undefined) throw errors.actionNotFound(name);
    if (this.status !== "running") throw errors.stopping();
    this.#begin();
    let ended = false;
    const ctx = new ActorContext(this, conn);
    try {
      let output: unknown;
      let failure: unknown;
      try {
        output = fn(ctx, ...args);
        if (isPromiseLike(output)) {
          const pending = Promise.resolve(output);
          const timeout = this.def.options.actionTimeout;
          try {
            output = await withTimeout(pending, timeout, () => errors.actionTimedOut(name, timeout));
          } catch (error) {
            if (isActorError(error) && error.code === "action_timed_out") {
              // The action goes on; the actor stays busy until it really ends.
              ended = true;
              pending.then(
                () => this.#actionEnded(ctx),
                () => this.#actionEnded(ctx),
              );
            }
            throw error;
          }
        }
        const hook = this.def.config.onBeforeActionResponse;
        if (hook) output = await hook(ctx, name, args, output);
      } catch (error) {
        failure = error;
      }
      await this.whenDurable();
      if (failure !== undefined) throw this.publicError(failure, `action "${name}" failed`);
      return copyValue(output);
    } finally {
      if (!ended) this.#actionEnded(ctx);
    }
  }

  /** The action that was given `ctx` is over: features release what it held, e.g. uncompleted queue messages. */
  #actionEnded(ctx: ActorContext): void {
    for (const feature of this.#features) feature.actionEnded?.(ctx);
    this.#end();
  }

  /** The error a caller may see; internal errors are logged in full here. */
  publicError(error: unknown, what: string): ActorError {
    const visible = toPublicError(error);
    if (visible !== error) this.log.error({ err: error }, what);
    return visible;
  }

  // ---- connections and events ----

  async connect(conn: Conn, sink: ConnSink | undefined): Promise<void> {
    const config = this.def.config;
    const options = this.def.options;
    const ctx = new ActorContext(this, conn);
    this.#begin();
    try {
      const timedOut = (hook: string) => () =>
        new ActorError("actor", "callback_timed_out", `${hook} did not finish in time.`, { metadata: { hook } });
      if (config.onBeforeConnect) {
        await withTimeout(
          Promise.resolve(config.onBeforeConnect(ctx, conn.params)),
          options.onBeforeConnectTimeout,
          timedOut("onBeforeConnect"),
        );
      }
      conn.state = config.createConnState
        ? await withTimeout(
            Promise.resolve(config.createConnState(ctx, conn.params)),
            options.createConnStateTimeout,
            timedOut("createConnState"),
          )
        : structuredCloneIfDefined(config.connState);
      if (sink) this.#connsToWrite().set(conn.id, conn);
      conn.owner = this;
      if (config.onConnect) {
        await withTimeout(Promise.resolve(config.onConnect(ctx, conn)), options.onConnectTimeout, timedOut("onConnect"));
      }
    } catch (error) {
      this.#conns?.delete(conn.id);
      throw this.publicError(error, "connection rejected by a hook");
    } finally {
      this.#end();
    }
  }

  async disconnect(conn: Conn, reason: string): Promise<void> {
    const known = this.#conns?.delete(conn.id) ?? false;
    conn.sink?.close(reason);
    if (!known && conn.sink) return;
    const hook = this.def.config.onDisconnect;
    if (!hook) return;
    this.#begin();
    try {
      await hook(new ActorContext(this, conn), conn);
    } catch (error) {
      this.log.error({ err: error }, "onDisconnect failed");
    } finally {
      this.#end();
    }
  }

  /** Subscribes `conn` to an event, if the event's `canSubscribe` (when declared) allows it. */
  async subscribe(conn: Conn, name: string, subscribed: boolean): Promise<void> {
    if (!subscribed) {
      conn.subscriptions.delete(name);
      return;
    }
    const events = this.def.config.events;
    const check = events && Object.hasOwn(events, name) ? events[name]?.canSubscribe : undefined;
    if (check) {
      this.#begin();
      try {
        const allowed = await check(new ActorContext(this, conn));
        if (allowed !== true) throw errors.forbidden(`This connection may not subscribe to "${name}".`);
      } catch (error) {
        throw this.publicError(error, `canSubscribe for "${name}" failed`);
      } finally {
        this.#end();
      }
    }
    conn.subscriptions.add(name);
  }

  broadcast(name: string, args: unknown[]): void {
    const payload = copyValue(args);
    this.#pending.afterCommit(() => {
      for (const conn of this.conns.values()) if (conn.subscriptions.has(name)) conn.sink?.event(name, payload);
    });
  }

  deliver(conn: Conn, name: string, args: unknown[]): void {
    const payload = copyValue(args);
    this.#pending.afterCommit(() => conn.sink?.event(name, payload));
  }

  // ---- activity and stopping ----

  #begin(): void {
    this.active++;
  }

  #end(): void {
    this.active--;
    if (this.active > 0) return;
    if (this.status === "running") this.host.markIdle(this);
    this.#checkDrained();
  }

  keepAwake<T>(promise: Promise<T>): Promise<T> {
    this.#begin();
    const done = () => this.#end();
    promise.then(done, done);
    return promise;
  }

  waitUntil(promise: Promise<unknown>): void {
    const set = (this.#waitUntil ??= new Set());
    const tracked = Promise.resolve(promise)
      .catch((error: unknown) => this.log.warn({ err: error }, "actor wait_until promise rejected"))
      .finally(() => {
        set.delete(tracked);
        this.#checkDrained();
      });
    set.add(tracked);
  }

  get abortSignal(): AbortSignal {
    if (this.#abort === undefined) {
      this.#abort = new AbortController();
      // Asked for the first time after the stop began: it is aborted already.
      if (this.status === "stopping" || this.status === "stopped") this.#abort.abort(errors.aborted());
    }
    return this.#abort.signal;
  }

  #checkDrained(): void {
    if (this.active > 0 || (this.#waitUntil?.size ?? 0) > 0) return;
    const waiters = this.#drained;
    this.#drained = undefined;
    for (const w of waiters ?? []) w();
  }

  #drain(): Promise<void> {
    if (this.active === 0 && (this.#waitUntil?.size ?? 0) === 0) return Promise.resolve();
    return new Promise((resolve) => (this.#drained ??= []).push(resolve));
  }

  /** Asks to stop after the current turn (from `c.sleep()`, `c.destroy()`, the idle timer). */
  requestStop(kind: StopKind): void {
    if (this.#stopKind === "destroy" || this.#stopKind === kind) return;
    if (this.#stopping) {
      this.#stopKind = kind; // a sleep already under way becomes a destroy
      return;
    }
    this.#stopKind = kind;
    nextTurn(() => void this.stop(kind));
  }

  /** Stops the instance: hook, drain in-flight work within the grace period, final commit. */
  stop(kind: StopKind): Promise<void> {
    if (this.#stopping) {
      if (kind === "destroy") this.#stopKind = "destroy";
      return this.#stopping;
    }
    this.#stopKind = kind;
    this.#stopping = this.#runStop();
    return this.#stopping;
  }

  async #runStop(): Promise<void> {
    while (this.status === "starting") await new Promise<void>((resolve) => nextTurn(resolve));
    if (this.status === "stopped") return;
    this.status = "stopping";
    // Only a signal someone asked for needs aborting; one asked for later is born aborted.
    this.#abort?.abort(errors.aborted());
    const work = (async () => {
      const ctx = new ActorContext(this);
      const hook = this.#stopKind === "destroy" ? this.def.config.onDestroy : this.def.config.onSleep;
      for (const feature of this.#features) {
        try {
          await feature.stopping?.(this.#stopKind ?? "sleep");
        } catch (error) {
          this.log.error({ err: error }, "feature failed to stop");
        }
      }
      try {
        await hook?.(ctx);
      } catch (error) {
        this.log.error({ err: error }, `${this.#stopKind === "destroy" ? "onDestroy" : "onSleep"} failed`);
      }
      await this.#drain();
    })();
    const grace = this.def.options.sleepGracePeriod;
    await withTimeout(work, grace, () => new Error(`grace period of ${grace} ms elapsed`)).catch((error: unknown) =>
      this.log.warn({ err: error }, "stopping without waiting for the remaining work"),
    );
    const kind = this.#stopKind ?? "sleep";
    if (kind === "destroy") {
      this.#pending.destroy = true;
      for (const conn of this.conns.values()) conn.sink?.close("actor destroyed");
      this.#conns?.clear();
    }
    try {
      await this.#pending.flush();
    } catch (error) {
      this.log.error({ err: error }, "final save failed");
    }
    this.status = "stopped";
    await this.#releaseFeatures(kind);
    this.host.stopped(this, kind);
  }

  get stopKind(): StopKind | undefined {
    return this.#stopKind;
  }
}

function structuredCloneIfDefined<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}
