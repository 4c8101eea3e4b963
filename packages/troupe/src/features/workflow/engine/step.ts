// ctx.step: a completed step returns its recorded result and never runs again; otherwise its
// code runs attempt by attempt (attempts.ts) and its result is committed before the workflow
// goes on. A step that was in flight when the process died runs again: at least once.

import { type RetryPolicy, retryPolicy, runAttempts } from "./attempts.ts";
import type { Slot } from "./cursor.ts";
import { fromErrorInfo } from "./error-info.ts";
import { StepFailedError, workflowErrors } from "./errors.ts";
import { checkName } from "./path.ts";
import { type EntryRecord, storedCopy } from "./records.ts";
import { systemNow } from "./sandbox.ts";
import type { WorkflowScope } from "./scope.ts";
import type { StepOptions } from "./types.ts";

export interface NormalizedStep<T> {
  name: string;
  run: (c: never) => T | Promise<T>;
  rollback: ((c: never, output: never) => unknown) | undefined;
  policy: RetryPolicy;
  ephemeral: boolean;
}

export function normalizeStep<T>(nameOrConfig: string | StepOptions<T, never>, run?: (c: never) => T | Promise<T>): NormalizedStep<T> {
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
    ephemeral: typeof nameOrConfig !== "string" && nameOrConfig.ephemeral === true,
    policy: retryPolicy(typeof nameOrConfig === "string" ? {} : nameOrConfig, `Step "${name}"`),
  };
}

export async function runStep<T>(scope: WorkflowScope, slot: Slot, step: NormalizedStep<T>): Promise<T> {
  const { run } = scope;
  const recorded = slot.record;
  if (recorded?.status === "completed") return completed(scope, slot, step, recorded);
  if (recorded?.status === "failed") {
    scope.clock.observe(recorded.completedAt);
    throw failureOf(recorded);
  }
  if (step.rollback && !run.rollbacks.checkpointed) throw workflowErrors.missingCheckpoint(step.name);
  if (!run.live) return run.park(scope.branch, slot);
  const now = systemNow();
  let record: EntryRecord = recorded ?? { kind: "step", name: step.name, seq: slot.seq, status: "running", startedAt: now, updatedAt: now };
  const outcome = await runAttempts<T>(run, scope.branch, recorded?.attempts === undefined ? undefined : progressOf(recorded), {
    name: step.name,
    policy: step.policy,
    invoke: (signal, attempt) => {
      let active = true;
      const c = run.host.stepContext({ name: step.name, attempt, signal, active: () => active }) as never;
      return scope
        .inStep(() => step.run(c))
        .finally(() => {
          active = false;
        });
    },
    save: (progress, value) => {
      const output = progress.status === "completed" ? storedCopy(value) : record.output;
      record = { ...record, ...progress, output, updatedAt: systemNow() };
      run.history.put(slot.path, record);
      return output as T;
    },
    report: (event) => run.host.report({ step: event }),
  });
  if (!(step.ephemeral && outcome.ok)) await run.host.durable();
  if (!outcome.ok) {
    scope.clock.observe(record.completedAt);
    throw failureOf(record);
  }
  return completed(scope, slot, step, record);
}

function completed<T>(scope: WorkflowScope, slot: Slot, step: NormalizedStep<T>, record: EntryRecord): T {
  scope.clock.observe(record.completedAt);
  if (step.rollback)
    scope.run.rollbacks.push({ path: slot.path, name: step.name, output: record.output, policy: step.policy, rollback: step.rollback });
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
