// The types of the engine's API: step and loop configs, results, and failure events. `Ctx` is the
// context a branch or loop iteration receives, `SC` what step code receives; the adapter picks both.

import type { EntryKind } from "./records.ts";

export type { EntryKind };

export interface RetryOptions {
  /** Retries after the first attempt fails (total attempts = maxRetries + 1). Default 3. */
  maxRetries?: number;
  /** The first retry waits this many ms; each next one twice as long. Default 100. */
  retryBackoffBase?: number;
  /** No retry waits longer than this many ms. Default 30 000. */
  retryBackoffMax?: number;
  /** An attempt running longer than this many ms fails (0: no limit). Default 30 000. */
  timeout?: number;
  /** Retry attempts that timed out (by default a timeout fails the step at once). */
  retryOnTimeout?: boolean;
}

export interface StepOptions<T, SC> extends RetryOptions {
  name: string;
  run: (c: SC) => T | Promise<T>;
  /** Undoes the step when the workflow fails later (after a ctx.rollbackCheckpoint). */
  rollback?: (c: SC, output: Awaited<T>) => void | Promise<void>;
  /**
   * The workflow goes on without waiting for this step's record to be committed: it is saved with
   * the next entry (or the actor's next commit). After a crash before then, the step runs again.
   */
  ephemeral?: boolean;
}

/** How a step failed for good: it threw a CriticalError, timed out, or used up its retries. */
export type StepFailureKind = "critical" | "timeout" | "exhausted";

export type TryStepResult<T> =
  | { ok: true; value: T }
  | { ok: false; failure: { kind: StepFailureKind; stepName: string; attempts: number; error: Error } };

export type LoopResult<S, T> = { continue: true; state: S } | { break: true; value: T };

/** What a loop iteration may return: nothing (an iteration with no `return`) continues. */
// biome-ignore lint/suspicious/noConfusingVoidType: `void` lets an iteration body end without a return statement.
export type LoopIterationResult<S, T> = LoopResult<S, T> | undefined | void;

export interface LoopConfig<S, T, Ctx> {
  name: string;
  /** The state of the first iteration. */
  state?: S;
  /** One iteration; returning nothing continues with no state. */
  run: (ctx: Ctx, state: S) => Promise<LoopIterationResult<S, T>>;
  /** Completed iterations whose entries stay in the history for inspection. Default 20. */
  historyKeep?: number;
}

export type BranchFn<T, Ctx> = (ctx: Ctx) => Promise<T>;
export type Branch<T, Ctx> = BranchFn<T, Ctx> | { run: BranchFn<T, Ctx> };
export type BranchOutput<B> = B extends Branch<infer T, never> ? T : never;

export interface ErrorSummary {
  name: string;
  message: string;
  stack?: string;
  metadata?: unknown;
}

export interface StepFailureEvent {
  workflowId: string;
  stepName: string;
  attempt: number;
  maxRetries: number;
  remainingRetries: number;
  willRetry: boolean;
  retryDelay?: number;
  retryAt?: number;
  error: ErrorSummary;
}

/** What the onError hook receives: a step attempt failed, a rollback failed, or the workflow failed. */
export type WorkflowErrorEvent =
  | { step: StepFailureEvent }
  | { rollback: StepFailureEvent }
  | { workflow: { workflowId: string; error: ErrorSummary } };
