// ctx.loop: each iteration is a scope of its own; when one ends, the loop's record moves to the
// next iteration with its state, and the entries of old iterations are deleted, so a loop that
// runs forever keeps a bounded history. A replay resumes at the current iteration.

import type { Slot } from "./cursor.ts";
import { workflowErrors } from "./errors.ts";
import { checkName } from "./path.ts";
import { type EntryRecord, storedCopy } from "./records.ts";
import { systemNow } from "./sandbox.ts";
import type { WorkflowScope } from "./scope.ts";
import type { LoopConfig, LoopIterationResult, LoopResult } from "./types.ts";

const DEFAULT_HISTORY_KEEP = 20;

export const Loop = {
  /** Ends the iteration; the next one starts with `state`. */
  continue<S = undefined>(...state: S extends undefined ? [state?: S] : [state: S]): LoopResult<S, never> {
    return { continue: true, state: state[0] as S };
  },
  /** Ends the loop; ctx.loop returns `value`. */
  break<T = undefined>(...value: T extends undefined ? [value?: T] : [value: T]): LoopResult<never, T> {
    return { break: true, value: value[0] as T };
  },
};

export type AnyLoopConfig = LoopConfig<unknown, unknown, never>;

export function normalizeLoop(nameOrConfig: string | AnyLoopConfig, run?: AnyLoopConfig["run"]): AnyLoopConfig {
  const config = typeof nameOrConfig === "string" ? { name: nameOrConfig, run } : nameOrConfig;
  const name = checkName(config?.name, "ctx.loop");
  if (typeof config.run !== "function") throw workflowErrors.invalidArgument(`ctx.loop("${name}") needs a function to run.`);
  const keep = "historyKeep" in config ? config.historyKeep : undefined;
  if (keep !== undefined && !(Number.isInteger(keep) && keep >= 0)) {
    throw workflowErrors.invalidArgument(`Loop "${name}": historyKeep must be a non-negative integer.`);
  }
  return { ...config, name, run: config.run } as AnyLoopConfig;
}

export async function runLoop(scope: WorkflowScope, slot: Slot, config: AnyLoopConfig): Promise<unknown> {
  const { run } = scope;
  const keep = config.historyKeep ?? DEFAULT_HISTORY_KEEP;
  let record: EntryRecord | undefined = slot.record;
  if (record?.status === "completed") {
    scope.clock.observe(record.completedAt);
    return record.output;
  }
  if (record === undefined) {
    const now = systemNow();
    record = {
      kind: "loop",
      name: config.name,
      seq: slot.seq,
      status: "running",
      startedAt: now,
      updatedAt: now,
      iteration: 0,
      state: storedCopy(config.state),
      iterationStartedAt: now,
    };
    run.history.put(slot.path, record);
  }
  let iteration = record.iteration ?? 0;
  for (;;) {
    const body = scope.child([...slot.path, iteration], scope.branch, record.iterationStartedAt ?? record.startedAt);
    const state: unknown = record.state;
    let result: LoopIterationResult<unknown, unknown>;
    try {
      result = await body.runBody((ctx): Promise<LoopIterationResult<unknown, unknown>> => config.run(ctx, state));
    } catch (error) {
      throw body.ended(error);
    }
    body.ended();
    // Moving on is an entry of its own that only a live run may record.
    if (!run.live) return run.park(scope.branch, slot);
    const now = systemNow();
    if (result && "break" in result && result.break === true) {
      record = { ...record, status: "completed", output: storedCopy(result.value), completedAt: now, updatedAt: now };
      run.history.put(slot.path, record);
      run.history.deleteIterations(slot.path, iteration + 1 - keep);
      scope.clock.observe(now);
      return record.output;
    }
    iteration++;
    const next: unknown = result && "continue" in result ? result.state : undefined;
    record = { ...record, iteration, state: storedCopy(next), iterationStartedAt: now, updatedAt: now };
    run.history.put(slot.path, record);
    run.history.deleteIterations(slot.path, iteration - keep);
  }
}
