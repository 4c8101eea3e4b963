// Workflow errors. Those that mean "the code is wrong" (it no longer matches its history, two
// entries share a name, a rollback without a checkpoint, a timer outside steps) block the
// workflow without failing it: it stays inspectable and resumes once the code is fixed. The
// others fail it.

import { defineErrorCodes } from "../../../base/error-codes.ts";
import { ActorError, isActorError } from "../../../base/errors.ts";
import type { ErrorInfo } from "./error-info.ts";
import type { StepFailureKind } from "./types.ts";
import { formatPath, type Path } from "./path.ts";
import type { EntryKind } from "./records.ts";

/** Thrown from a step, fails it at once: no retry. */
export class CriticalError extends Error {
  override name = "CriticalError";
}

/** A step failed for good; `ctx.tryStep` turns it into a result. */
export class StepFailedError extends ActorError {
  override name = "StepFailedError";
  readonly stepName: string;
  readonly kind: StepFailureKind;
  readonly attempts: number;
  override readonly cause: Error;

  constructor(stepName: string, kind: StepFailureKind, attempts: number, cause: Error) {
    const message =
      kind === "exhausted"
        ? `Step "${stepName}" failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${cause.message}`
        : kind === "timeout"
          ? `Step "${stepName}" timed out: ${cause.message}`
          : `Step "${stepName}" failed: ${cause.message}`;
    super("workflow", kind === "timeout" ? "step_timed_out" : "step_failed", message, {
      public: false,
      cause,
      metadata: { step: stepName, failure: kind, attempts },
    });
    this.stepName = stepName;
    this.kind = kind;
    this.attempts = attempts;
    this.cause = cause;
  }
}

const CODE_ERRORS = new Set([
  "workflow.nondeterministic",
  "workflow.duplicate_name",
  "workflow.missing_checkpoint",
  "workflow.invalid_name",
  "workflow.invalid_argument",
  "workflow.nondeterministic_api",
  "queue.previous_message_not_completed",
]);

/** Whether `error` says the workflow code is wrong, rather than that the workflow failed. */
export function isCodeError(error: unknown): error is ActorError {
  return isActorError(error) && CODE_ERRORS.has(`${error.group}.${error.code}`);
}

function describe(kind: EntryKind, name: string): string {
  return `${kind} "${name}"`;
}

export const workflowErrors = {
  nondeterministic: (scope: Path, recorded: { kind: EntryKind; name: string }, called: { kind: EntryKind; name: string }) =>
    new ActorError(
      "workflow",
      "nondeterministic",
      `Workflow code does not match its history${scope.length > 0 ? ` in "${formatPath(scope)}"` : ""}: the history has ${describe(recorded.kind, recorded.name)} where the code now calls ${describe(called.kind, called.name)}. Keep the recorded entry (or mark it with ctx.removed), or gate the change with ctx.getVersion.`,
      { public: false, metadata: { scope: formatPath(scope), step: recorded.name, recorded, called } },
    ),
  unreached: (scope: Path, recorded: { kind: EntryKind; name: string }) =>
    new ActorError(
      "workflow",
      "nondeterministic",
      `Workflow code does not match its history${scope.length > 0 ? ` in "${formatPath(scope)}"` : ""}: the history has ${describe(recorded.kind, recorded.name)} that the code no longer reaches. Mark it with ctx.removed("${recorded.name}", "${recorded.kind}") where it was.`,
      { public: false, metadata: { scope: formatPath(scope), step: recorded.name, recorded } },
    ),
  pastEnd: (next: { path: Path; name: string }) =>
    new ActorError(
      "workflow",
      "nondeterministic",
      `Workflow code does not match its history: the recorded workflow ended, but the code goes on to "${formatPath(next.path)}".`,
      { public: false, metadata: { scope: formatPath(next.path.slice(0, -1)), step: next.name } },
    ),
  duplicateName: (scope: Path, name: string) =>
    new ActorError(
      "workflow",
      "duplicate_name",
      `Two workflow entries are named "${name}"${scope.length > 0 ? ` in "${formatPath(scope)}"` : ""}; names must be unique within their scope (use a loop for repeated work).`,
      { public: false, metadata: { scope: formatPath(scope), step: name } },
    ),
  missingCheckpoint: (name: string) =>
    new ActorError(
      "workflow",
      "missing_checkpoint",
      `Step "${name}" has a rollback but no ctx.rollbackCheckpoint() comes before it; add one where the rollback should stop.`,
      { public: false, metadata: { step: name } },
    ),
  stepTimedOut: (ms: number) => new ActorError("workflow", "step_timed_out", `it ran longer than ${ms} ms`, { public: false }),
  joinFailed: (name: string, failures: Record<string, ErrorInfo>) =>
    new ActorError(
      "workflow",
      "join_failed",
      `Join "${name}" failed: ${Object.entries(failures)
        .map(([branch, error]) => `branch "${branch}": ${error.message}`)
        .join("; ")}`,
      { public: false, metadata: { join: name, branches: failures } },
    ),
  rollbackFailed: (name: string, cause: Error) =>
    new ActorError("workflow", "rollback_failed", `Rollback of step "${name}" failed: ${cause.message}`, {
      public: false,
      cause,
      metadata: { step: name },
    }),
  invalidArgument: (message: string) => new ActorError("workflow", "invalid_argument", message, { public: false }),
  nondeterministicApi: (api: string) =>
    new ActorError(
      "workflow",
      "nondeterministic_api",
      `${api} cannot be used in workflow code outside steps: it would not happen again on replay. Wait with ctx.sleep (a durable timer), or call it inside a step.`,
      { public: false, metadata: { api } },
    ),
  outsideStep: (feature: string) =>
    new ActorError("workflow", "outside_step", `${feature} is only available inside workflow steps`, { public: false }),
};

/** The codes of these errors, with their HTTP status. */
export const WORKFLOW_ERROR_CODES = defineErrorCodes({
  "workflow.nondeterministic": {
    status: 500,
    description:
      "The workflow code no longer matches its recorded history; the message names the entry. The workflow is blocked until the code is fixed.",
  },
  "workflow.duplicate_name": { status: 500, description: "Two workflow entries in the same scope share a name." },
  "workflow.missing_checkpoint": { status: 500, description: "A step with a rollback runs before any ctx.rollbackCheckpoint()." },
  "workflow.invalid_name": { status: 500, description: "A workflow entry name is empty or contains a NUL character." },
  "workflow.invalid_argument": { status: 500, description: "A workflow call got arguments of the wrong shape." },
  "workflow.step_failed": { status: 500, description: "A step failed for good: it threw a CriticalError or used up its retries." },
  "workflow.step_timed_out": { status: 500, description: "A step attempt ran longer than its timeout." },
  "workflow.join_failed": { status: 500, description: "A branch of ctx.join failed; the message names each failed branch." },
  "workflow.rollback_failed": { status: 500, description: "A saga rollback failed after its retries; the workflow stays failed." },
  "workflow.nondeterministic_api": {
    status: 500,
    description:
      "Code outside workflow steps called setTimeout, setInterval or setImmediate (use ctx.sleep); the workflow is blocked until it is fixed.",
  },
  "workflow.outside_step": { status: 500, description: "The actor's state or c.* was used in workflow code outside a step." },
});
