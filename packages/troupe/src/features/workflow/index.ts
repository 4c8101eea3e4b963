// Public entry point of `troupe/workflow`: durable workflows as an actor's run handler.

export { WorkflowContext, type WorkflowMessageOf, type WorkflowQueue } from "./context.ts";
export { CriticalError, StepFailedError } from "./errors.ts";
export type { ErrorInfo } from "./error-info.ts";
export { readWorkflowHistory, type HistoryEntry, type WorkflowHistory } from "./history-api.ts";
export { Loop } from "./loop.ts";
export type { QueueNextOptions, WorkflowMessage } from "./queue.ts";
export type { EntryKind, EntryStatus, WorkflowRecord, WorkflowStatus } from "./records.ts";
export { replayWorkflow, type ReplayResult } from "./replay.ts";
export type {
  Branch,
  ErrorSummary,
  LoopConfig,
  LoopResult,
  RetryOptions,
  StepConfig,
  StepContext,
  StepFailureEvent,
  StepFailureKind,
  TryStepResult,
  WorkflowErrorEvent,
  WorkflowFn,
  WorkflowOptions,
} from "./types.ts";
export { workflow, type WorkflowHandler } from "./workflow.ts";
