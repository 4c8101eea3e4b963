// Public entry point of `troupe/workflow`: durable workflows as an actor's run handler.

export { WorkflowContext, type WorkflowMessageOf, type WorkflowQueue } from "./context.ts";
export type { ErrorInfo } from "./engine/error-info.ts";
export { CriticalError, StepFailedError } from "./engine/errors.ts";
export type { HistoryEntry, WorkflowHistory } from "./engine/history-export.ts";
export { Loop } from "./engine/loop.ts";
export type { TryBlockOptions, TryBlockResult, TryFailureSource } from "./engine/try-block.ts";
export type { QueueNextOptions, WorkflowMessage } from "./engine/queue.ts";
export type { EntryKind, EntryStatus, WorkflowRecord, WorkflowStatus } from "./engine/records.ts";
export type { ReplayResult } from "./engine/replay.ts";
export type {
  Branch,
  ErrorSummary,
  LoopConfig,
  LoopResult,
  RetryOptions,
  StepFailureEvent,
  StepFailureKind,
  TryStepResult,
  WorkflowErrorEvent,
} from "./engine/types.ts";
export { readWorkflowHistory } from "./history-api.ts";
export { replayWorkflow } from "./replay.ts";
export type { StepConfig, StepContext, WorkflowFn, WorkflowOptions } from "./types.ts";
export { workflow, type WorkflowHandler } from "./workflow.ts";
