// The workflow context `ctx` as the engine defines it: every call that touches the outside world
// goes through it, so it can be recorded and replayed. Calls claim their place in the history
// synchronously, in the order the code makes them; that order is what replay checks. `Ctx` is
// the context branches and loop iterations receive, `SC` what step code receives: the adapter
// (../context.ts) makes both, with the actor's APIs.

import { type BranchRun, branchRun, checkBranchNames, type RaceBranch, runJoin, runRace } from "./branches.ts";
import { never } from "./branch.ts";
import { StepFailedError, workflowErrors } from "./errors.ts";
import type { WorkflowLogger } from "./host.ts";
import { type AnyLoopConfig, normalizeLoop, runLoop } from "./loop.ts";
import { checkName } from "./path.ts";
import { checkQueueOptions, type QueueNextOptions, runQueueNext, type WorkflowMessage } from "./queue.ts";
import type { EntryKind } from "./records.ts";
import { runCheckpoint } from "./rollback.ts";
import { outsideBody } from "./sandbox.ts";
import type { WorkflowScope } from "./scope.ts";
import { runSleep } from "./sleep.ts";
import { normalizeStep, runStep } from "./step.ts";
import { runTryBlock, type TryBlockOptions, type TryBlockResult } from "./try-block.ts";
import type { Branch as BranchSpec, LoopConfig, LoopIterationResult, StepOptions, TryStepResult } from "./types.ts";
import { runGetVersion, runRemoved } from "./versioning.ts";

export interface DurableQueue {
  /** Waits durably for one message; undefined when `timeout` passes first. */
  next(name: string, options?: QueueNextOptions): Promise<WorkflowMessage | undefined>;
  /**
   * Waits durably for a first message (or `timeout`), then takes up to `count - 1` more that are
   * already queued; each is an entry of its own (`name`, `name#1`, ...). `[]` on timeout.
   */
  nextBatch(name: string, options?: QueueNextOptions & { count?: number }): Promise<WorkflowMessage[]>;
}

export class DurableContext<Ctx, SC> {
  readonly #scope: WorkflowScope;

  /** @internal Made by the run's context factory. */
  constructor(scope: WorkflowScope) {
    this.#scope = scope;
  }

  // ---- identity and determinism ----

  get workflowId(): string {
    return this.#scope.run.host.workflowId;
  }
  get log(): WorkflowLogger {
    return this.#scope.run.host.log;
  }

  /** Aborts when the actor stops (the workflow resumes on its next wake) or this branch lost a race. */
  get abortSignal(): AbortSignal {
    return this.#scope.branch.signal;
  }

  /** Whether the workflow is being stopped because the actor is going to sleep or away. */
  isEvicted(): boolean {
    return this.#scope.run.root.cancelled;
  }

  /** The workflow's time: when the latest entry this code has seen completed. Replays the same. */
  now(): number {
    return this.#scope.now();
  }

  /** A random float in [0, 1) that a replay draws again identically. */
  random(): number {
    return this.#scope.random();
  }

  // ---- entries ----

  /** Runs `run` once (its recorded result is returned on replay), retrying failures. */
  step<T>(name: string, run: (c: SC) => T | Promise<T>): Promise<Awaited<T>>;
  step<T>(config: StepOptions<T, SC>): Promise<Awaited<T>>;
  step<T>(nameOrConfig: string | StepOptions<T, SC>, run?: (c: SC) => T | Promise<T>): Promise<Awaited<T>> {
    return this.#op((scope) => {
      const step = normalizeStep(nameOrConfig as StepOptions<T, never> | string, run as (c: never) => T);
      return runStep(scope, scope.cursor.claim("step", step.name), step) as Promise<Awaited<T>>;
    });
  }

  /** Like `step`, but a step that fails for good returns `{ ok: false, failure }` instead of throwing. */
  tryStep<T>(name: string, run: (c: SC) => T | Promise<T>): Promise<TryStepResult<Awaited<T>>>;
  tryStep<T>(config: StepOptions<T, SC>): Promise<TryStepResult<Awaited<T>>>;
  async tryStep<T>(nameOrConfig: string | StepOptions<T, SC>, run?: (c: SC) => T | Promise<T>): Promise<TryStepResult<Awaited<T>>> {
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
    return this.#op((scope) => {
      if (!(typeof ms === "number" && ms >= 0))
        throw workflowErrors.invalidArgument(`ctx.sleep("${name}") needs a non-negative number of ms.`);
      return runSleep(scope, name, (now) => now + ms);
    });
  }

  /** Waits durably until `time` (ms since the epoch, or a Date). */
  sleepUntil(name: string, time: number | Date): Promise<void> {
    return this.#op((scope) => {
      const at = time instanceof Date ? time.getTime() : time;
      if (!(typeof at === "number" && Number.isFinite(at))) throw workflowErrors.invalidArgument(`ctx.sleepUntil("${name}") needs a time.`);
      return runSleep(scope, name, () => at);
    });
  }

  /** Repeats `run` until it returns Loop.break(value); each iteration's history is compacted away. */
  loop<T>(name: string, run: (ctx: Ctx) => Promise<LoopIterationResult<undefined, T>>): Promise<T>;
  loop<St, T>(config: LoopConfig<St, T, Ctx>): Promise<T>;
  loop<T>(nameOrConfig: unknown, run?: unknown): Promise<T> {
    return this.#op((scope) => {
      const config = normalizeLoop(nameOrConfig as string | AnyLoopConfig, run as AnyLoopConfig["run"]);
      return runLoop(scope, scope.cursor.claim("loop", config.name), config) as Promise<T>;
    });
  }

  /** Runs every branch concurrently; returns their outputs by name (any failure fails the join). */
  join<B extends Record<string, BranchSpec<unknown, Ctx>>>(name: string, branches: B): Promise<{ [K in keyof B]: BranchValue<B[K]> }> {
    return this.#op((scope) => {
      checkName(name, "ctx.join");
      if (typeof branches !== "object" || branches === null)
        throw workflowErrors.invalidArgument(`ctx.join("${name}") needs an object of branches.`);
      checkBranchNames(Object.keys(branches), `Join "${name}"`);
      const runs: Record<string, BranchRun> = {};
      for (const [branch, spec] of Object.entries(branches)) runs[branch] = branchRun(spec, `Branch "${branch}" of join "${name}"`);
      return runJoin(scope, scope.cursor.claim("join", name), name, runs) as Promise<{ [K in keyof B]: BranchValue<B[K]> }>;
    });
  }

  /** Runs the branches concurrently; the first to finish wins, the others are cancelled. */
  race<T>(name: string, branches: Array<{ name: string; run: (ctx: Ctx) => Promise<T> }>): Promise<{ winner: string; value: T }> {
    return this.#op((scope) => {
      checkName(name, "ctx.race");
      if (!Array.isArray(branches) || branches.length === 0)
        throw workflowErrors.invalidArgument(`ctx.race("${name}") needs a non-empty array of branches.`);
      checkBranchNames(
        branches.map((b) => b?.name),
        `Race "${name}"`,
      );
      const runs: RaceBranch[] = branches.map((b) => ({ name: b.name, run: branchRun(b, `Branch "${b.name}" of race "${name}"`) }));
      return runRace(scope, scope.cursor.claim("race", name), name, runs) as Promise<{ winner: string; value: T }>;
    });
  }

  /** Marks where a saga starts: if the workflow fails later, the rollbacks of the steps since run in reverse. */
  rollbackCheckpoint(name: string): Promise<void> {
    return this.#op(async (scope) => runCheckpoint(scope, name));
  }

  /**
   * A version gate for changing workflow code: a workflow that reaches this point for the first
   * time gets (and records) `latest`; one that had passed this point before the gate existed gets 1.
   */
  getVersion(name: string, latest: number): Promise<number> {
    return this.#op(async (scope) => runGetVersion(scope, name, latest));
  }

  /** Stands where an entry was removed from the code, so workflows that recorded it still replay. */
  removed(name: string, kind: EntryKind): Promise<void> {
    return this.#op(async (scope) => runRemoved(scope, name, kind));
  }

  /** The actor's queue, read durably: a received message is recorded and never received again. */
  get queue(): DurableQueue {
    const next = (name: string, options?: QueueNextOptions) =>
      this.#op((scope) => {
        const opts = checkQueueOptions(options);
        return runQueueNext(scope, scope.cursor.claim("message", checkName(name, "ctx.queue.next")), name, opts);
      });
    return {
      next,
      nextBatch: async (name, options = {}) => {
        const { count = 1, ...opts } = options;
        if (!(Number.isInteger(count) && count >= 1))
          throw workflowErrors.invalidArgument(`ctx.queue.nextBatch("${name}"): count must be a positive integer.`);
        if (opts.completable && count > 1) {
          throw workflowErrors.invalidArgument(`ctx.queue.nextBatch("${name}"): completable messages are taken one at a time (count 1).`);
        }
        const first = await next(name, opts);
        const batch = first === undefined ? [] : [first];
        for (let i = 1; i < count && batch.length === i; i++) {
          const more = await next(`${name}#${i}`, { ...opts, timeout: 0 });
          if (more !== undefined) batch.push(more);
        }
        return batch;
      },
    };
  }

  /** Runs a block; a step or join failing inside it (or what `catch` lists) is returned as `{ ok: false, failure }`. */
  try<T>(name: string, run: (ctx: this) => Promise<T>): Promise<TryBlockResult<T>>;
  try<T>(config: TryBlockOptions<T, this>): Promise<TryBlockResult<T>>;
  try<T>(nameOrConfig: string | TryBlockOptions<T, this>, run?: (ctx: this) => Promise<T>): Promise<TryBlockResult<T>> {
    return runTryBlock(this, nameOrConfig, run);
  }

  /**
   * Starts an operation in this scope's branch, as engine code (not body code): a cancelled
   * branch's operations never settle.
   */
  #op<T>(body: (scope: WorkflowScope) => Promise<T>): Promise<T> {
    const scope = this.#scope;
    if (scope.branch.cancelled) return never();
    let promise: Promise<T>;
    try {
      promise = outsideBody(() => body(scope));
    } catch (error) {
      promise = Promise.reject(error);
    }
    return scope.branch.deliver(promise);
  }
}

type BranchValue<B> = B extends (ctx: never) => Promise<infer T> ? T : B extends { run: (ctx: never) => Promise<infer T> } ? T : never;
