// The public types of workflows that involve the actor: what step code receives, step configs,
// the workflow body and its options. The engine's own types are in engine/types.ts.

import type { ActorContext } from "../../actor/context.ts";
import type { WorkflowContext } from "./context.ts";
import type { StepOptions, WorkflowErrorEvent } from "./engine/types.ts";

/** The actor's context, available to a step's code while the step runs (and to its rollback). */
export type StepContext<S = unknown, V = unknown, Q = {}, DB = unknown> = ActorContext<S, unknown, unknown, V, Q, DB> & {
  /** 1 for the first attempt, then 2, 3, ... */
  readonly attempt: number;
  readonly stepName: string;
};

export type StepConfig<T, S = unknown, V = unknown, Q = {}, DB = unknown> = StepOptions<T, StepContext<S, V, Q, DB>>;

export interface WorkflowOptions<S = unknown, V = unknown, Q = {}, DB = unknown> {
  /** Sees every failure once, as it happens (not again on replay); may change state. */
  onError?: (c: ActorContext<S, unknown, unknown, V, Q, DB>, event: WorkflowErrorEvent) => void | Promise<void>;
}

/** The body of a workflow. */
export type WorkflowFn<S = unknown, V = unknown, Q = {}, DB = unknown> = (ctx: WorkflowContext<S, V, Q, DB>) => Promise<unknown>;
