// What a workflow run needs from its surroundings: the actor it runs in, or, when a recorded
// history is replayed in a test, nothing live at all.

import type { Logger } from "pino";
import type { ActorContext } from "../../actor/context.ts";
import type { HistorySink } from "./history.ts";
import type { WorkflowErrorEvent } from "./types.ts";

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

export interface WorkflowHost {
  readonly workflowId: string;
  /** False when replaying a recorded history in a test: the run stops wherever it would act. */
  readonly live: boolean;
  readonly log: Logger;
  readonly sink: HistorySink;
  readonly identity: { actorId: string; name: string; key: string[] };
  /** The actor the workflow runs in, for step code. */
  actor(): ActorContext;
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
  /** Reports a failure to the workflow's onError hook. */
  report(event: WorkflowErrorEvent): Promise<void>;
}
