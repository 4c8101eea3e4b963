// What a workflow run needs from its surroundings: the actor it runs in (actor-host.ts), or, when a
// recorded history is replayed in a test, nothing live at all (replay.ts).

import type { HistorySink } from "./history.ts";
import type { WorkflowErrorEvent } from "./types.ts";

/** What the engine logs with; pino's loggers are one. */
export interface WorkflowLogger {
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

/** One message taken from the actor's queue for the workflow. */
export interface QueueDelivery {
  id: number;
  name: string;
  body: unknown;
  createdAt: number;
}

export interface ReceiveOptions {
  names?: readonly string[];
  /** Give up after this many ms (undefined: wait as long as it takes). */
  timeout?: number;
}

/** One attempt of a step (or of its rollback), as its code's context sees it. */
export interface StepAttempt {
  readonly name: string;
  readonly attempt: number;
  /** Aborts when the step times out, its branch is cancelled, or the actor stops. */
  readonly signal: AbortSignal;
  /** False once the attempt is over. */
  active(): boolean;
}

export interface WorkflowHost {
  readonly workflowId: string;
  /** False when replaying a recorded history in a test: the run stops wherever it would act. */
  readonly live: boolean;
  readonly log: WorkflowLogger;
  readonly sink: HistorySink;
  /** What the code of a step (or of a rollback) receives as its argument during `attempt`. */
  stepContext(attempt: StepAttempt): unknown;
  /** Resolves once every history write made so far is committed. */
  durable(): Promise<void>;
  /** Counts `promise` as work of the actor (it stays awake) until it settles. */
  keepAwake<T>(promise: Promise<T>): Promise<T>;
  /** The run's timers or its busy state changed: the actor's alarm may need to move. */
  alarmsChanged(): void;
  /** Takes the next message (or undefined on timeout) without deleting it: see `acknowledge`. */
  receive(options: ReceiveOptions, signal: AbortSignal): Promise<QueueDelivery | undefined>;
  /** Deletes a received message (in the same commit as the history entry that records it)... */
  acknowledge(id: number, response?: unknown): Promise<void>;
  /** The error a receive fails with while completable messages `ids` are not completed yet. */
  notCompleted(ids: number[]): Error;
  /** Reports a failure to the workflow's onError hook. */
  report(event: WorkflowErrorEvent): Promise<void>;
}
