// ctx.step: a completed step returns its recorded result and never runs again; otherwise its
// code runs attempt by attempt (attempts.ts) and its result is committed before the workflow
// goes on. A step that was in flight when the process died runs again: at least once.

import { type RetryPolicy, retryPolicy, runAttempts } from "./attempts.ts";
import type { WorkflowContext } from "./context.ts";
import type { Slot } from "./cursor.ts";
import { fromErrorInfo } from "./error-info.ts";
import { StepFailedError, workflowErrors } from "./errors.ts";
import { checkName } from "./path.ts";
import { type EntryRecord, storedCopy } from "./records.ts";
import { stepContext } from "./step-context.ts";
import type { StepConfig, StepContext } from "./types.ts";

export interface NormalizedStep<T> {
  name: string;
  run: (c: StepContext<never, never>) => T | Promise<T>;
  rollback: ((c: StepContext<never, never>, output: never) => unknown) | undefined;
  policy: RetryPolicy;
}

export function normalizeStep<T>(
  nameOrConfig: string | StepConfig<T, never, never>,
  run?: (c: StepContext<never, never>) => T | Promise<T>,
): NormalizedStep<T> {
  const config = typeof nameOrConfig === "string" ? { name: nameOrConfig, run } : nameOrConfig;
  const name = checkName(config?.name, "ctx.step");
  if (typeof config.run !== "function") throw workflowErrors.invalidArgument(`ctx.step("${name}") needs a function to run.`);
  const rollback = "rollback" in config ? config.rollback : undefined;
  if (rollback !== undefined && typeof rollback !== "function")
    throw workflowErrors.invalidArgument(`Step "${name}": rollback must be a function.`);
  return {
    name,
    run: config.run,
    rollback: rollback as NormalizedStep<T>["rollback"],
    policy: retryPolicy(typeof nameOrConfig === "string" ? {} : nameOrConfig, `Step "${name}"`),
  };
}

export async function runStep<T>(ctx: WorkflowContext<never, never>, slot: Slot, step: NormalizedStep<T>): Promise<T> {
  const { run } = ctx;
  const recorded = slot.record;
  if (recorded?.status === "completed") return completed(ctx, slot, step, recorded);
  if (recorded?.status === "failed") {
    ctx.clock.observe(recorded.completedAt);
    throw failureOf(recorded);
  }
  if (step.rollback && !run.rollbacks.checkpointed) throw workflowErrors.missingCheckpoint(step.name);
  if (!run.live) return run.park(ctx.branch, slot);
  const now = Date.now();
  let record: EntryRecord = recorded ?? { kind: "step", name: step.name, seq: slot.seq, status: "running", startedAt: now, updatedAt: now };
  const outcome = await runAttempts<T>(run, ctx.branch, recorded?.attempts === undefined ? undefined : progressOf(recorded), {
    name: step.name,
    policy: step.policy,
    invoke: (signal, attempt) => {
      let active = true;
      const c = stepContext<never, never>(run.host.actor(), { name: step.name, attempt, signal, active: () => active });
      return ctx
        .inStep(() => step.run(c))
        .finally(() => {
          active = false;
        });
    },
    save: (progress, value) => {
      const output = progress.status === "completed" ? storedCopy(value) : record.output;
      record = { ...record, ...progress, output, updatedAt: Date.now() };
      run.history.put(slot.path, record);
      return output as T;
    },
    report: (event) => run.host.report({ step: event }),
  });
  await run.host.durable();
  if (!outcome.ok) {
    ctx.clock.observe(record.completedAt);
    throw failureOf(record);
  }
  return completed(ctx, slot, step, record);
}

function completed<T>(ctx: WorkflowContext<never, never>, slot: Slot, step: NormalizedStep<T>, record: EntryRecord): T {
  ctx.clock.observe(record.completedAt);
  if (step.rollback)
    ctx.run.rollbacks.push({ path: slot.path, name: step.name, output: record.output, policy: step.policy, rollback: step.rollback });
  return record.output as T;
}

function progressOf(record: EntryRecord) {
  const { status, attempts = 0, failures = 0, retryAt, error } = record;
  return { status: status === "retrying" ? ("retrying" as const) : ("running" as const), attempts, failures, retryAt, error };
}

/** The error a failed step throws, the same live and on replay. */
function failureOf(record: EntryRecord): StepFailedError {
  const cause = record.error ? fromErrorInfo(record.error) : new Error("unknown error");
  return new StepFailedError(record.name, record.failure ?? "exhausted", record.attempts ?? 1, cause);
}
