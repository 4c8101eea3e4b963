// Replays a recorded history against workflow code, with nothing live: no step runs, no timer
// waits. Tests use it with histories saved as fixtures, as Temporal's replayer does, so that a
// change to workflow code that would break running workflows fails a test first.

import { workflowErrors } from "./errors.ts";
import { History } from "./history.ts";
import { importHistory, type WorkflowHistory } from "./history-export.ts";
import type { WorkflowHost } from "./host.ts";
import { type ContextFactory, type WorkflowBody, WorkflowRun } from "./run.ts";

export type ReplayResult =
  /** The code reproduced the whole history and completed (or failed) as it had. */
  | { status: "completed"; output: unknown }
  | { status: "failed"; error: Error }
  /** The code reproduced the history up to its end, where the workflow was still running. */
  | { status: "running" };

const offline = (what: string): never => {
  throw workflowErrors.invalidArgument(`${what} is not available while replaying a recorded history.`);
};

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Replays `history` with `fn`, whose contexts `context` makes. Rejects with
 * `workflow.nondeterministic` (naming the entry) when the code does not match the history,
 * including when the history completed where the code would go on.
 */
export async function replayHistory(fn: WorkflowBody, history: WorkflowHistory, context: ContextFactory): Promise<ReplayResult> {
  const host: WorkflowHost = {
    workflowId: "replay",
    live: false,
    log: silent,
    sink: { put() {}, deleteRange() {} },
    stepContext: () => offline("The actor"),
    durable: () => Promise.resolve(),
    keepAwake: (promise) => promise,
    alarmsChanged() {},
    receive: () => offline("The queue"),
    acknowledge: () => offline("The queue"),
    notCompleted: () => offline("The queue"),
    report: () => Promise.resolve(),
  };
  const run = new WorkflowRun(host, new History(host.sink, structuredClone(history.workflow), importHistory(history)), context);
  const recorded = history.workflow.status;
  const result = await run.execute(fn);
  switch (result.status) {
    case "blocked":
      throw result.error;
    case "replayed": {
      const next = run.frontier;
      if ((recorded === "completed" || recorded === "failed") && next) {
        throw workflowErrors.pastEnd(next);
      }
      return { status: "running" };
    }
    case "completed":
      return { status: "completed", output: result.output };
    case "failed":
      return { status: "failed", error: result.error };
    case "evicted":
      return { status: "running" };
  }
}
