// `workflow(fn)`: turns a workflow body into the actor's `run` handler.

import { type ActorContext, servicesOf } from "../../actor/context.ts";
import { errors } from "../../base/errors.ts";
import { WORKFLOW } from "./key.ts";
import type { WorkflowFn, WorkflowOptions } from "./types.ts";

/**
 * The run handler of a workflow actor: `run: workflow(async (ctx) => { ... })`. Its type
 * parameters are those of the actor's context, inferred from the definition it is written in.
 */
export type WorkflowHandler<S = unknown, V = unknown, CP = unknown, CS = unknown, Q = {}, DB = unknown> = (
  c: ActorContext<S, CP, CS, V, Q, DB>,
) => Promise<void>;

const workflows = new WeakSet<object>();

export function workflow<S = unknown, V = unknown, CP = unknown, CS = unknown, Q = {}, DB = unknown>(
  fn: WorkflowFn<S, V, Q, DB>,
  options: WorkflowOptions<S, V, Q, DB> = {},
): WorkflowHandler<S, V, CP, CS, Q, DB> {
  if (typeof fn !== "function") throw errors.config("workflow() takes the workflow body: workflow(async (ctx) => { ... }).");
  if (options.onError !== undefined && typeof options.onError !== "function")
    throw errors.config("workflow(): onError must be a function.");
  const handler: WorkflowHandler<S, V, CP, CS, Q, DB> = (c) => {
    const feature = servicesOf(c as unknown as ActorContext).feature(WORKFLOW);
    if (!feature) throw errors.config("A workflow handler runs only as an actor's `run`.");
    return feature.run(c as unknown as ActorContext, fn as unknown as WorkflowFn<never, never>, options as unknown as WorkflowOptions);
  };
  workflows.add(handler);
  return handler;
}

/** Whether `handler` was made by workflow(). */
export function workflowOf(handler: unknown): boolean {
  return typeof handler === "function" && workflows.has(handler);
}
