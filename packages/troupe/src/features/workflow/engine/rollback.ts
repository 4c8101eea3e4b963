// Sagas: steps with a `rollback` register it as they complete (live or replayed). When the
// workflow then fails, the rollbacks of the steps completed since the latest
// ctx.rollbackCheckpoint run in reverse order, each durably recorded and retried like a step.

import { type RetryPolicy, runAttempts } from "./attempts.ts";
import { fromErrorInfo } from "./error-info.ts";
import { workflowErrors } from "./errors.ts";
import { checkName, type PathSegment } from "./path.ts";
import type { AttemptProgress, EntryRecord } from "./records.ts";
import type { WorkflowRun } from "./run.ts";
import { systemNow } from "./sandbox.ts";
import type { WorkflowScope } from "./scope.ts";

export interface Compensation {
  path: PathSegment[];
  name: string;
  output: unknown;
  policy: RetryPolicy;
  rollback: (c: never, output: never) => unknown;
}

export class RollbackStack {
  readonly #items: Compensation[] = [];
  #since: number | undefined;

  get checkpointed(): boolean {
    return this.#since !== undefined;
  }

  checkpoint(): void {
    this.#since = this.#items.length;
  }

  push(item: Compensation): void {
    this.#items.push(item);
  }

  /** Runs the pending rollbacks, newest first; returns the error that stopped them, if any. */
  async run(run: WorkflowRun): Promise<Error | undefined> {
    if (this.#since === undefined) return undefined;
    const pending = this.#items.slice(this.#since).reverse();
    if (pending.length === 0) return undefined;
    const workflow = run.history.workflow;
    if (workflow) run.history.setWorkflow({ ...workflow, status: "rolling_back", updatedAt: systemNow() });
    for (const item of pending) {
      let record = run.history.get(item.path);
      if (record === undefined || record.rollback?.status === "completed") continue;
      const outcome = await runAttempts(run, run.root, record.rollback, {
        name: item.name,
        policy: item.policy,
        invoke: (signal, attempt) => {
          let active = true;
          const c = run.host.stepContext({ name: item.name, attempt, signal, active: () => active }) as never;
          return Promise.resolve(item.rollback(c, item.output as never)).finally(() => {
            active = false;
          });
        },
        save: (progress: AttemptProgress) => {
          record = { ...(record as EntryRecord), rollback: progress };
          run.history.put(item.path, record);
          return undefined;
        },
        report: (event) => run.host.report({ rollback: event }),
      });
      await run.host.durable();
      if (!outcome.ok) {
        const info = record.rollback?.error;
        return workflowErrors.rollbackFailed(item.name, info ? fromErrorInfo(info) : new Error("unknown error"));
      }
    }
    return undefined;
  }
}

/** ctx.rollbackCheckpoint: recorded once; on replay it marks the same place in the stack again. */
export function runCheckpoint(scope: WorkflowScope, name: string): void {
  const slot = scope.cursor.claim("checkpoint", checkName(name, "ctx.rollbackCheckpoint"));
  if (slot.record === undefined) {
    const now = systemNow();
    scope.run.history.put(slot.path, {
      kind: "checkpoint",
      name,
      seq: slot.seq,
      status: "completed",
      startedAt: now,
      updatedAt: now,
      completedAt: now,
    });
  }
  scope.run.rollbacks.checkpoint();
}
