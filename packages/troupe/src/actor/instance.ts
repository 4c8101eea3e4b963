// One live actor: its identity and the order in which it lives (start, alarms, stop).
// What stands alone lives beside it: its start and stop sequences (instance-start.ts,
// instance-stop.ts), the state (state.ts), what keeps it awake (activity.ts, its
// base class), an action call (action-call.ts), its connections (connections.ts), its features
// (feature-set.ts), the events its start and stop give observers (lifecycle-events.ts) and its
// writes on their way to storage (pending-writes.ts). It is also what its features see of it:
// FeatureServices.

import type { Logger } from "pino";
import { ActorError, errors, toPublicError } from "../base/errors.ts";
import type { RepeatedLog } from "../base/repeated-log.ts";
import { delay, nextTurn } from "../base/timers.ts";
import type { ActorRecord, Bytes, ListOptions, StorageDriver } from "../storage/driver.ts";
import { invokeAction } from "./action-call.ts";
import { startInstance } from "./instance-start.ts";
import { abandonInstance, CloseAtStop, loseInstance, type StopParts, stopInstance } from "./instance-stop.ts";
import { Activity } from "./activity.ts";
import type { Conn, ConnSink } from "./conn.ts";
import { Connections } from "./connections.ts";
import type { ActorContext, SaveStateOptions } from "./context.ts";
import type { AnyActorDefinition } from "./definition.ts";
import type { FeatureKey, FeatureServices, ResourceKey, StopKind } from "./feature.ts";
import { FeatureSet } from "./feature-set.ts";
import type { ActorObserver, StopReason, WakeCause } from "./observer.ts";
import { type CommitScheduler, PendingWrites, type WritesOwner } from "./pending-writes.ts";
import { ActorState, type StateOwner } from "./state.ts";
import type { WriteSet } from "./write-set.ts";

/** What an instance needs from the host that runs it. */
export interface InstanceHost {
  readonly driver: StorageDriver;
  readonly logger: Logger;
  readonly commits: CommitScheduler;
  /** Who watches the host's actors; undefined when nobody does (then no event is built). */
  readonly observer: ActorObserver | undefined;
  /** Where messages that an outage repeats for every actor are logged once per window. */
  readonly repeatedLog: RepeatedLog;
  markIdle(instance: ActorInstance): void;
  stopped(instance: ActorInstance, kind: StopKind): void;
  /** The host's connection map of an actor (kept across sleep), created when missing. */
  connections(actorId: string): Map<string, Conn>;
  /** The instance's earliest alarm changed (undefined: none). */
  alarmChanged(instance: ActorInstance, at: number | undefined): void;
  shared<T>(key: FeatureKey<T>, create: () => T): T;
  resource<T>(key: ResourceKey<T>): T | undefined;
}

export type StartMode = { kind: "create"; record: ActorRecord; input: unknown } | { kind: "wake"; record: ActorRecord; cause?: WakeCause };

/** Shared by the instances with no connection, so that they do not each hold an empty Map. */
const NO_CONNS: ReadonlyMap<string, Conn> = new Map();

export class ActorInstance extends Activity implements FeatureServices, StateOwner, WritesOwner {
  readonly id: string;
  readonly name: string;
  readonly key: readonly string[];
  readonly def: AnyActorDefinition;
  readonly host: InstanceHost;
  readonly #pending: PendingWrites;
  readonly #state: ActorState;
  readonly #features: FeatureSet;
  #connections: Connections | undefined;
  #closeAtStop: CloseAtStop | undefined;
  #vars: unknown;
  #stopKind: StopKind | undefined;
  #stopping: Promise<void> | undefined;
  #log: Logger | undefined;
  /** Creating the actor, before its record is handed to the pending writes. */
  #startsCreating = false;
  /** The alarm last written to storage; undefined when unknown (just woken). */
  #alarmAt: number | null | undefined;

  constructor(host: InstanceHost, def: AnyActorDefinition, record: ActorRecord, conns: Map<string, Conn> | undefined) {
    super();
    this.host = host;
    this.def = def;
    this.id = record.id;
    this.name = record.name;
    this.key = record.key;
    if (conns) this.#connections = new Connections(this, conns);
    this.#pending = new PendingWrites(this, host.commits);
    this.#state = new ActorState(this);
    this.#features = new FeatureSet(def.features, this);
  }

  get log(): Logger {
    this.#log ??= this.host.logger.child({ actor: this.name, key: this.key, actorId: this.id });
    return this.#log;
  }

  get epoch(): number {
    return this.#pending.epoch;
  }

  /** The actor's record is not stored yet: this instance creates it, and its first commit stores it. */
  get creating(): boolean {
    return this.#startsCreating || this.#pending.create !== undefined;
  }

  get stopKind(): StopKind | undefined {
    return this.#stopKind;
  }

  context(conn?: Conn): ActorContext {
    return new this.def.Context(this, conn);
  }

  get observer(): ActorObserver | undefined {
    return this.host.observer;
  }

  /** Whether an observer wants state diffs (the state then keeps a copy from before its changes). */
  get observesState(): boolean {
    return this.host.observer?.observesState === true;
  }

  // ---- start ----

  /** Creates the actor or wakes it (instance-start.ts). */
  start(mode: StartMode): Promise<void> {
    return startInstance(this, mode, {
      pending: this.#pending,
      features: this.#features,
      state: this.#state,
      setVars: (vars) => {
        this.#vars = vars;
      },
      setCreating: (creating) => {
        this.#startsCreating = creating;
      },
    });
  }

  // ---- state and vars ----

  get state(): unknown {
    return this.#state.value;
  }
  set state(value: unknown) {
    this.#state.value = value;
  }

  get vars(): unknown {
    return this.#vars;
  }
  set vars(value: unknown) {
    this.#vars = value;
  }

  stateWritten(): void {
    this.#pending.stateDirty = true;
    this.#pending.written();
  }

  // ---- what features and the pending writes use ----

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
    const after = this.#state.encode();
    const observer = this.host.observer;
    if (observer === undefined || after === undefined) return after;
    const before = this.#state.takeSnapshot();
    if (observer.observesState) observer.notify({ type: "state.changed", actor: this, at: Date.now(), before, after });
    return after;
  }

  /** Key-value writes (queue, schedule, kv, ...) waiting for the next commit. */
  get writes(): WriteSet {
    return this.#pending.writes;
  }

  read(keys: Bytes[]): Promise<Array<Bytes | undefined>> {
    return this.host.driver.get(this.id, keys);
  }

  list(options: ListOptions): Promise<Array<[Bytes, Bytes]>> {
    return this.host.driver.list(this.id, options);
  }

  feature<T>(key: FeatureKey<T>): T | undefined {
    return this.#features.get(key);
  }

  shared<T>(key: FeatureKey<T>, create: () => T): T {
    return this.host.shared(key, create);
  }

  resource<T>(key: ResourceKey<T>): T | undefined {
    return this.host.resource(key);
  }

  /** Resolves when every write made so far is committed (at once with relaxed durability). */
  whenDurable(): Promise<void> {
    return this.#pending.durable();
  }

  /** Whether every write made so far is durable already (whenDurable would resolve at once). */
  get durableNow(): boolean {
    return this.#pending.settled;
  }

  flush(): Promise<void> {
    return this.#pending.flush();
  }

  afterCommit(run: () => void): void {
    this.#pending.afterCommit(run);
  }

  /** Recomputes the earliest alarm over all features; stores it when it changed. */
  refreshAlarm(force = false): void {
    const next = this.#features.nextAlarm();
    const stored = next ?? null;
    if (!force && (stored === this.#alarmAt || (this.#alarmAt === undefined && stored === null))) return;
    this.#alarmAt = stored;
    this.#pending.alarm = stored;
    this.#pending.written();
    this.host.alarmChanged(this, next);
  }

  /** An alarm of this actor is due: every feature runs what is due. */
  async runAlarms(now: number): Promise<void> {
    if (this.status !== "running") throw errors.stopping();
    const startedAt = this.host.observer === undefined ? 0 : performance.now();
    this.begin();
    try {
      await this.#features.onAlarm(now, this);
    } finally {
      this.refreshAlarm(true);
      this.host.observer?.notify({ type: "alarm.fired", actor: this, at: Date.now(), durationMs: performance.now() - startedAt });
      this.end();
    }
  }

  /**
   * A commit of this instance's writes failed, or another activation owns the actor: it stops at
   * once, saving nothing (instance-stop.ts).
   */
  lost(error: Error): void {
    loseInstance(this, error, this.#stopParts());
  }

  /**
   * The state could not be encoded for a commit: the callers waiting for it get a typed error, and
   * the instance stops without saving, so that the actor wakes next from its last durable state.
   */
  unencodable(error: unknown): void {
    this.log.error({ err: error }, "state could not be encoded for a commit; stopping without saving");
    this.lost(
      new ActorError("actor", "state_not_serializable", "The state could not be encoded; the changes were not saved.", { cause: error }),
    );
  }

  /** Drops the instance at once: nothing more is saved, nothing more runs (a simulated crash). */
  abandon(): void {
    abandonInstance(this, this.#stopParts());
  }

  async saveState(options: SaveStateOptions): Promise<void> {
    if (options.immediate) return this.#pending.flush();
    if (options.maxWait !== undefined) {
      await delay(options.maxWait);
      return this.#pending.flush();
    }
    this.#pending.written();
  }

  // ---- actions ----

  /** Runs action `name` for `conn` (undefined: from inside the actor); see action-call.ts. */
  invoke(name: string, args: unknown[], conn?: Conn): Promise<unknown> {
    return invokeAction(this, name, args, conn);
  }

  contextEnded(owner: object): void {
    this.#features.contextEnded(owner);
  }

  /** Logs `message`, once per window for all actors when an outage repeats it (RepeatedLog). */
  #logRepeated(level: "warn" | "error", error: unknown, message: string): void {
    this.host.repeatedLog.write(this.log, level, `${level} ${message}: ${describeError(error)}`, { err: error }, message);
  }

  /** The error a caller may see; internal errors are logged in full here. */
  publicError(error: unknown, what: string): ActorError {
    const visible = toPublicError(error);
    if (visible !== error) this.log.error({ err: error }, what);
    return visible;
  }

  // ---- connections ----

  /** Open connections; the map is the host's, so it survives sleep. */
  get conns(): ReadonlyMap<string, Conn> {
    return this.#connections?.open ?? NO_CONNS;
  }

  /** The connections, created on first use: most actors never have one. */
  get connections(): Connections {
    this.#connections ??= new Connections(this, this.host.connections(this.id));
    return this.#connections;
  }

  connect(conn: Conn, sink: ConnSink | undefined): Promise<void> {
    return this.connections.connect(conn, sink);
  }

  broadcast(name: string, args: unknown[]): void {
    this.host.observer?.notify({ type: "broadcast", actor: this, at: Date.now(), name, args });
    this.#connections?.broadcast(name, args);
  }

  // ---- stopping ----

  protected idle(): void {
    this.host.markIdle(this);
  }

  /** Asks to stop after the current turn (from `c.sleep()`, `c.destroy()`, the idle timer). */
  requestStop(kind: StopKind, reason: StopReason = "requested"): void {
    if (this.#stopKind === "destroy" || this.#stopKind === kind) return;
    if (this.#stopping) {
      this.#stopKind = kind; // a sleep already under way becomes a destroy
      return;
    }
    this.#stopKind = kind;
    nextTurn(() => void this.stop(kind, reason));
  }

  /**
   * Runs `close` when this instance stops, once its onSleep/onDestroy and in-flight work are over
   * (raw WebSockets close then, so that the hooks may still use them); the work their close
   * handlers start is waited for too, within the grace period. Returns the undo.
   */
  closeAtStop(close: () => Promise<void>): () => void {
    return (this.#closeAtStop ??= new CloseAtStop()).add(close);
  }

  /**
   * Resolves once a destroy asked for (by `c.destroy()`) is done: the reply to the action that
   * asked for it waits for this, so the caller sees the actor gone. At once when none was asked for.
   */
  async destroyed(): Promise<void> {
    if (this.#stopKind !== "destroy") return;
    while (this.#stopping === undefined) await new Promise<void>((resolve) => nextTurn(resolve));
    await this.#stopping;
  }

  /** Stops the instance: hook, drain in-flight work within the grace period, final commit. */
  stop(kind: StopKind, reason: StopReason = "requested"): Promise<void> {
    if (this.#stopping) {
      if (kind === "destroy") this.#stopKind = "destroy";
      return this.#stopping;
    }
    this.#stopKind = kind;
    this.#stopping = this.#runStop(reason);
    return this.#stopping;
  }

  async #runStop(reason: StopReason): Promise<void> {
    while (this.status === "starting") await new Promise<void>((resolve) => nextTurn(resolve));
    if (this.status === "stopped") return;
    await stopInstance(this, reason, this.#stopParts());
  }

  /** What the stop paths (instance-stop.ts) use of this instance beyond its public members. */
  #stopParts(): StopParts {
    return {
      pending: this.#pending,
      features: this.#features,
      connections: this.#connections,
      kind: () => this.#stopKind ?? "sleep",
      stoppedUnsaved: () => {
        this.#stopKind ??= "sleep";
        this.#stopping ??= Promise.resolve();
      },
      abort: (reason) => this.abort(reason),
      drain: () => this.drain(),
      closeRaw: () => this.#closeAtStop?.run() ?? Promise.resolve(),
      logRepeated: (level, error, message) => this.#logRepeated(level, error, message),
    };
  }
}

/** What tells one failure from another in the log: the message, and its cause's. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
