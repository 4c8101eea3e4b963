// Replays a recorded history against workflow code, with nothing live (engine/replay.ts), giving
// the code the same context it has in an actor, with a stand-in for the actor.

import { pino } from "pino";
import { type ActorSide, WorkflowContext } from "./context.ts";
import { workflowErrors } from "./engine/errors.ts";
import type { WorkflowHistory } from "./engine/history-export.ts";
import { type ReplayResult, replayHistory } from "./engine/replay.ts";
import type { WorkflowFn } from "./types.ts";

const replaying: ActorSide = {
  identity: { actorId: "replay", name: "replay", key: [] },
  log: pino({ level: "silent" }),
  actor: () => {
    throw workflowErrors.invalidArgument("The actor is not available while replaying a recorded history.");
  },
};

/**
 * Replays `history` with `fn`. Rejects with `workflow.nondeterministic` (naming the entry) when
 * the code does not match the history, including when the history completed where the code
 * would go on.
 */
export function replayWorkflow<S, V, Q, DB>(fn: WorkflowFn<S, V, Q, DB>, history: WorkflowHistory): Promise<ReplayResult> {
  return replayHistory(fn, history, (scope) => new WorkflowContext(scope, replaying));
}
