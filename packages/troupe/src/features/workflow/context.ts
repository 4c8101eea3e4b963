// The workflow context `ctx`: every call that touches the outside world goes through it, so it
// can be recorded and replayed. Calls claim their place in the history synchronously, in the
// order the code makes them; that order is what replay checks.

import type { Logger } from "pino";
import type { ActorContext } from "../../actor/context.ts";
import type { Client } from "../../client/types.ts";
import type { DatabaseClientOf } from "../db/provider.ts";
import type { QueueBody, QueueCompletion, QueueName } from "../queue/definition.ts";
import { type BranchRun, branchRun, checkBranchNames, type RaceBranch, runJoin, runRace } from "./branches.ts";
import { type Branch, never } from "./branch.ts";
import { Cursor } from "./cursor.ts";
import { ScopeClock, ScopeRandom } from "./deterministic.ts";
import { isCodeError, StepFailedError, workflowErrors } from "./errors.ts";
import { type AnyLoopConfig, normalizeLoop, runLoop } from "./loop.ts";
import { checkName, type Path, pathId } from "./path.ts";
import { checkQueueOptions, type QueueNextOptions, runQueueNext, type WorkflowMessage } from "./queue.ts";
import type { EntryKind } from "./records.ts";
import type { WorkflowRun } from "./run.ts";
import { normalizeStep, runStep } from "./step.ts";
import type { Branch as BranchSpec, LoopConfig, LoopIterationResult, StepConfig, StepContext, TryStepResult } from "./types.ts";

export class WorkflowContext<S = unknown, V = unknown, Q = {}, DB = unknown> {
  /** @internal */
  readonly run: WorkflowRun;
  /** @internal The thread this code runs in. */
  readonly branch: Branch;
  /** @internal */
  readonly cursor: Cursor;
  /** @internal */
  readonly clock: ScopeClock;
  #random: ScopeRandom | undefined;
  #stepDepth = 0;

  /** @internal */
  constructor(run: WorkflowRun, branch: Branch, scope: Path, start: number) {
    this.run = run;
    this.branch = branch;
    this.cursor = new Cursor(scope, run.history.scope(scope));
    this.clock = new ScopeClock(start);
  }

  /** @internal A context for a nested scope (a loop iteration, a branch). */
  child(scope: Path, branch: Branch, start: number): WorkflowContext<S, V, Q, DB> {
    return new WorkflowContext<S, V, Q, DB>(this.run, branch, scope, start);
  }

  /**
   * @internal The scope's code ended (with `error` if it threw). History it did not reach means
   * the code changed: that error wins over the one thrown, unless that already says so.
   */
  ended(error?: unknown): unknown {
    if (isCodeError(error)) return error;
    const unreached = this.cursor.unreached();
    if (unreached) throw workflowErrors.unreached(this.cursor.scope, unreached);
    return error;
  }

  /** @internal Runs a step's code with the actor's APIs opened on this context. */
  async inStep<T>(fn: () => T | Promise<T>): Promise<T> {
    this.#stepDepth++;
    try {
      return await fn();
    } finally {
      this.#stepDepth--;
    }
  }

  // ---- identity and determinism ----

  get workflowId(): string {
    return this.run.host.workflowId;
  }
  get actorId(): string {
    return this.run.host.identity.actorId;
  }
  get name(): string {
    return this.run.host.identity.name;
  }
  get key(): string[] {
    return [...this.run.host.identity.key];
  }
  get log(): Logger {
    return this.run.host.log;
  }

  /** Aborts when the actor stops (the workflow resumes on its next wake) or this branch lost a race. */
  get abortSignal(): AbortSignal {
    return this.branch.signal;
  }

  /** Whether the workflow is being stopped because the actor is going to sleep or away. */
  isEvicted(): boolean {
    return this.run.root.cancelled;
  }

  /** The workflow's time: when the latest entry this code has seen completed. Replays the same. */
  now(): number {
    return this.clock.now;
  }

  /** A random float in [0, 1) that a replay draws again identically. */
  random(): number {
    this.#random ??= new ScopeRandom(this.run.history.workflow?.seed ?? 0, pathId(this.cursor.scope));
    return this.#random.next();
  }

  // ---- entries ----

  /** Runs `run` once (its recorded result is returned on replay), retrying failures. */
  step<T>(name: string, run: (c: StepContext<S, V, Q, DB>) => T | Promise<T>): Promise<Awaited<T>>;
  step<T>(config: StepConfig<T, S, V, Q, DB>): Promise<Awaited<T>>;
  step<T>(nameOrConfig: string | StepConfig<T, S, V, Q, DB>, run?: (c: StepContext<S, V, Q, DB>) => T | Promise<T>): Promise<Awaited<T>> {
    return this.#op(() => {
      const step = normalizeStep(
        nameOrConfig as unknown as StepConfig<T, never, never>,
        run as unknown as (c: StepContext<never, never>) => T,
      );
      return runStep(this.#self, this.cursor.claim("step", step.name), step) as Promise<Awaited<T>>;
    });
  }

  /** Like `step`, but a step that fails for good returns `{ ok: false, failure }` instead of throwing. */
  tryStep<T>(name: string, run: (c: StepContext<S, V, Q, DB>) => T | Promise<T>): Promise<TryStepResult<Awaited<T>>>;
  tryStep<T>(config: StepConfig<T, S, V, Q, DB>): Promise<TryStepResult<Awaited<T>>>;
  async tryStep<T>(
    nameOrConfig: string | StepConfig<T, S, V, Q, DB>,
    run?: (c: StepContext<S, V, Q, DB>) => T | Promise<T>,
  ): Promise<TryStepResult<Awaited<T>>> {
    const name = typeof nameOrConfig === "string" ? nameOrConfig : nameOrConfig?.name;
    try {
      const step = this.step as (nameOrConfig: unknown, run: unknown) => Promise<Awaited<T>>;
      return { ok: true, value: await step.call(this, nameOrConfig, run) };
    } catch (error) {
      if (!(error instanceof StepFailedError) || error.stepName !== name) throw error;
      return { ok: false, failure: { kind: error.kind, stepName: error.stepName, attempts: error.attempts, error: error.cause } };
    }
  }

  /** Waits `ms` durably: the actor may sleep meanwhile; its alarm wakes it. */
  sleep(name: string, ms: number): Promise<void> {
    return this.#op(() => {
      if (!(typeof ms === "number" && ms >= 0))
        throw workflowErrors.invalidArgument(`ctx.sleep("${name}") needs a non-negative number of ms.`);
      return this.#sleep(name, () => Date.now() + ms);
    });
  }

  /** Waits durably until `time` (ms since the epoch, or a Date). */
  sleepUntil(name: string, time: number | Date): Promise<void> {
    return this.#op(() => {
      const at = time instanceof Date ? time.getTime() : time;
      if (!(typeof at === "number" && Number.isFinite(at))) throw workflowErrors.invalidArgument(`ctx.sleepUntil("${name}") needs a time.`);
      return this.#sleep(name, () => at);
    });
  }

  async #sleep(name: string, deadline: () => number): Promise<void> {
    const slot = this.cursor.claim("sleep", checkName(name, "ctx.sleep"));
    const { run } = this;
    let record = slot.record;
    if (record?.status === "completed") {
      this.clock.observe(record.completedAt);
      return;
    }
    if (!run.live) return run.park(this.branch, slot);
    if (record === undefined) {
      const now = Date.now();
      record = { kind: "sleep", name, seq: slot.seq, status: "waiting", startedAt: now, updatedAt: now, deadline: deadline() };
      run.history.put(slot.path, record);
    }
    await run.waitUntil(this.branch, record.deadline ?? 0);
    if (this.branch.cancelled) return never();
    const now = Date.now();
    run.history.put(slot.path, { ...record, status: "completed", completedAt: now, updatedAt: now });
    this.clock.observe(now);
  }

  /** Repeats `run` until it returns Loop.break(value); each iteration's history is compacted away. */
  loop<T>(name: string, run: (ctx: WorkflowContext<S, V, Q, DB>) => Promise<LoopIterationResult<undefined, T>>): Promise<T>;
  loop<St, T>(config: LoopConfig<St, T, WorkflowContext<S, V, Q, DB>>): Promise<T>;
  loop<T>(nameOrConfig: unknown, run?: unknown): Promise<T> {
    return this.#op(() => {
      const config = normalizeLoop(nameOrConfig as string | AnyLoopConfig, run as AnyLoopConfig["run"]);
      return runLoop(this.#self, this.cursor.claim("loop", config.name), config) as Promise<T>;
    });
  }

  /** Runs every branch concurrently; returns their outputs by name (any failure fails the join). */
  join<B extends Record<string, BranchSpec<unknown, WorkflowContext<S, V, Q, DB>>>>(
    name: string,
    branches: B,
  ): Promise<{ [K in keyof B]: BranchValue<B[K]> }> {
    return this.#op(() => {
      checkName(name, "ctx.join");
      if (typeof branches !== "object" || branches === null)
        throw workflowErrors.invalidArgument(`ctx.join("${name}") needs an object of branches.`);
      checkBranchNames(Object.keys(branches), `Join "${name}"`);
      const runs: Record<string, BranchRun> = {};
      for (const [branch, spec] of Object.entries(branches)) runs[branch] = branchRun(spec, `Branch "${branch}" of join "${name}"`);
      return runJoin(this.#self, this.cursor.claim("join", name), name, runs) as Promise<{ [K in keyof B]: BranchValue<B[K]> }>;
    });
  }

  /** Runs the branches concurrently; the first to finish wins, the others are cancelled. */
  race<T>(
    name: string,
    branches: Array<{ name: string; run: (ctx: WorkflowContext<S, V, Q, DB>) => Promise<T> }>,
  ): Promise<{ winner: string; value: T }> {
    return this.#op(() => {
      checkName(name, "ctx.race");
      if (!Array.isArray(branches) || branches.length === 0)
        throw workflowErrors.invalidArgument(`ctx.race("${name}") needs a non-empty array of branches.`);
      checkBranchNames(
        branches.map((b) => b?.name),
        `Race "${name}"`,
      );
      const runs: RaceBranch[] = branches.map((b) => ({ name: b.name, run: branchRun(b, `Branch "${b.name}" of race "${name}"`) }));
      return runRace(this.#self, this.cursor.claim("race", name), name, runs) as Promise<{ winner: string; value: T }>;
    });
  }

  /** Marks where a saga starts: if the workflow fails later, the rollbacks of the steps since run in reverse. */
  rollbackCheckpoint(name: string): Promise<void> {
    return this.#op(async () => {
      const slot = this.cursor.claim("checkpoint", checkName(name, "ctx.rollbackCheckpoint"));
      if (slot.record === undefined) {
        const now = Date.now();
        this.run.history.put(slot.path, {
          kind: "checkpoint",
          name,
          seq: slot.seq,
          status: "completed",
          startedAt: now,
          updatedAt: now,
          completedAt: now,
        });
      }
      this.run.rollbacks.checkpoint();
    });
  }

  /**
   * A version gate for changing workflow code: a workflow that reaches this point for the first
   * time gets (and records) `latest`; one that had passed this point before the gate existed gets 1.
   */
  getVersion(name: string, latest: number): Promise<number> {
    return this.#op(async () => {
      checkName(name, "ctx.getVersion");
      if (!(Number.isInteger(latest) && latest >= 1))
        throw workflowErrors.invalidArgument(`ctx.getVersion("${name}") needs an integer latest version of at least 1.`);
      const slot = this.cursor.claimIf(name, (record) => record.kind === "version" && record.name === name);
      if (slot === undefined) return 1;
      if (slot.record) return slot.record.version ?? 1;
      const now = Date.now();
      this.run.history.put(slot.path, {
        kind: "version",
        name,
        seq: slot.seq,
        status: "completed",
        startedAt: now,
        updatedAt: now,
        completedAt: now,
        version: latest,
      });
      return latest;
    });
  }

  /** Stands where an entry was removed from the code, so workflows that recorded it still replay. */
  removed(name: string, kind: EntryKind): Promise<void> {
    return this.#op(async () => {
      checkName(name, "ctx.removed");
      const slot = this.cursor.claimIf(name, (record) => record.name === name && (record.kind === kind || record.removedKind === kind));
      if (slot === undefined || slot.record !== undefined) return;
      const now = Date.now();
      this.run.history.put(slot.path, {
        kind: "removed",
        name,
        seq: slot.seq,
        status: "completed",
        startedAt: now,
        updatedAt: now,
        completedAt: now,
        removedKind: kind,
      });
    });
  }

  /** The actor's queue, read durably: a received message is recorded and never received again. */
  get queue(): WorkflowQueue<Q> {
    return {
      next: (name: string, options?: QueueNextOptions) =>
        this.#op(() => {
          const opts = checkQueueOptions(options);
          return runQueueNext(this.#self, this.cursor.claim("message", checkName(name, "ctx.queue.next")), name, opts);
        }),
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
  client<R = unknown>(): Client<R> {
    return this.#actor("client").client<R>();
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
    if (this.#stepDepth === 0) throw workflowErrors.outsideStep(feature);
    return this.run.host.actor();
  }

  get #self(): WorkflowContext<never, never> {
    return this as unknown as WorkflowContext<never, never>;
  }

  /** Starts an operation in this branch; a cancelled branch's operations never settle. */
  #op<T>(body: () => Promise<T>): Promise<T> {
    if (this.branch.cancelled) return never();
    let promise: Promise<T>;
    try {
      promise = body();
    } catch (error) {
      promise = Promise.reject(error);
    }
    return this.branch.deliver(promise);
  }
}

type BranchValue<B> = B extends (ctx: never) => Promise<infer T> ? T : B extends { run: (ctx: never) => Promise<infer T> } ? T : never;

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
  /** Sends to the actor's own queue (inside steps only). */
  send<N extends QueueName<Q>>(name: N, body: QueueBody<Q, N>): Promise<unknown>;
}
