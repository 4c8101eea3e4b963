// Runs a step's code (or a rollback) attempt by attempt: records each attempt, retries failures
// after an exponential backoff that is itself durable (the actor may sleep through it), and
// reports every failure to onError as it happens.

import { ActorError, isErrorCode } from "../../../base/errors.ts";
import { withTimeout } from "../../../base/timers.ts";
import { type Branch, never } from "./branch.ts";
import { type ErrorInfo, toErrorInfo } from "./error-info.ts";
import { CriticalError, workflowErrors } from "./errors.ts";
import type { AttemptProgress } from "./records.ts";
import type { WorkflowRun } from "./run.ts";
import { systemNow } from "./sandbox.ts";
import type { ErrorSummary, RetryOptions, StepFailureEvent, StepFailureKind } from "./types.ts";

export interface RetryPolicy {
  maxRetries: number;
  backoffBase: number;
  backoffMax: number;
  timeout: number;
  retryOnTimeout: boolean;
}

export function retryPolicy(options: RetryOptions, what: string): RetryPolicy {
  const number = (key: keyof RetryOptions, fallback: number): number => {
    const value = options[key] ?? fallback;
    if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
      throw new ActorError("config", "invalid", `${what}: ${key} must be a non-negative number, got ${String(value)}.`, { public: false });
    }
    return value;
  };
  return {
    maxRetries: number("maxRetries", 3),
    backoffBase: number("retryBackoffBase", 100),
    backoffMax: number("retryBackoffMax", 30_000),
    timeout: number("timeout", 30_000),
    retryOnTimeout: options.retryOnTimeout === true,
  };
}

/** The wait before the retry that follows the `failures`-th failure. */
function backoff(policy: RetryPolicy, failures: number): number {
  return Math.min(policy.backoffMax, policy.backoffBase * 2 ** (failures - 1));
}

type Progress = AttemptProgress;

export type Outcome<T> = { ok: true; value: T } | { ok: false };

export interface AttemptTarget<T> {
  name: string;
  policy: RetryPolicy;
  /** One attempt of the user's code. */
  invoke(signal: AbortSignal, attempt: number): Promise<T> | T;
  /** Records progress; on success also the value, returning it as replay will return it. */
  save(progress: Progress, value?: T): T;
  report(event: StepFailureEvent): Promise<void>;
}

export async function runAttempts<T>(
  run: WorkflowRun,
  branch: Branch,
  start: Progress | undefined,
  target: AttemptTarget<T>,
): Promise<Outcome<T>> {
  let progress = start;
  for (;;) {
    if (progress?.status === "retrying" && progress.retryAt !== undefined) await run.waitUntil(branch, progress.retryAt);
    if (branch.cancelled) return never();
    progress = { status: "running", attempts: (progress?.attempts ?? 0) + 1, failures: progress?.failures ?? 0 };
    target.save(progress);
    const next: Outcome<T> | Progress = await run.host.keepAwake(attempt(run, branch, progress, target));
    if ("ok" in next) return next;
    progress = next;
  }
}

/** One attempt, recorded before it settles, so the record is in the commit that ends the actor's work. */
async function attempt<T>(run: WorkflowRun, branch: Branch, progress: Progress, target: AttemptTarget<T>): Promise<Outcome<T> | Progress> {
  const { policy } = target;
  const controller = new AbortController();
  const signal = AbortSignal.any([branch.signal, controller.signal]);
  let value: T;
  try {
    const pending = Promise.resolve().then(() => target.invoke(signal, progress.attempts));
    value =
      policy.timeout > 0 && Number.isFinite(policy.timeout)
        ? await withTimeout(pending, policy.timeout, () => {
            const error = workflowErrors.stepTimedOut(policy.timeout);
            controller.abort(error);
            return error;
          })
        : await pending;
  } catch (error) {
    // Cut short because the actor stopped (or the branch lost a race): as if the process had died.
    if (branch.cancelled) return never();
    return failed(run, progress, target, error);
  }
  try {
    return {
      ok: true,
      value: target.save(
        { status: "completed", attempts: progress.attempts, failures: progress.failures, completedAt: systemNow() },
        value,
      ),
    };
  } catch (error) {
    // The result cannot be stored (not serializable): retrying would not help.
    return failed(run, progress, target, new CriticalError(`the step's result cannot be stored: ${(error as Error).message}`));
  }
}

async function failed<T>(run: WorkflowRun, progress: Progress, target: AttemptTarget<T>, error: unknown): Promise<Outcome<T> | Progress> {
  const { policy } = target;
  const info = toErrorInfo(error);
  const failures = progress.failures + 1;
  const timedOut = isErrorCode(error, "workflow", "step_timed_out");
  const critical = error instanceof CriticalError || (timedOut && !policy.retryOnTimeout);
  const willRetry = !critical && failures <= policy.maxRetries;
  const now = systemNow();
  const event: StepFailureEvent = {
    workflowId: run.host.workflowId,
    stepName: target.name,
    attempt: progress.attempts,
    maxRetries: policy.maxRetries,
    remainingRetries: willRetry ? policy.maxRetries - failures : 0,
    willRetry,
    error: summary(info),
  };
  if (willRetry) {
    const delay = backoff(policy, failures);
    const next: Progress = { status: "retrying", attempts: progress.attempts, failures, retryAt: now + delay, error: info };
    target.save(next);
    await target.report({ ...event, retryDelay: delay, retryAt: now + delay });
    return next;
  }
  const failure: StepFailureKind = critical ? (timedOut ? "timeout" : "critical") : "exhausted";
  target.save({ status: "failed", attempts: progress.attempts, failures, error: info, failure, completedAt: now });
  await target.report(event);
  return { ok: false };
}

export function summary(info: ErrorInfo): ErrorSummary {
  const out: ErrorSummary = { name: info.name, message: info.message };
  if (info.stack !== undefined) out.stack = info.stack;
  if (info.metadata !== undefined) out.metadata = info.metadata;
  return out;
}
