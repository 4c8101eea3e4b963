// One action call on a live instance, in the order a caller sees it: wait for the connection's
// checks, validate the arguments, run the action under its timeout, let onBeforeActionResponse
// change the output, wait until every write the call made is durable, then answer. Observers see
// the call start and end (the end of a timed-out call is when its action really returns).

import { errors, isActorError } from "../base/errors.ts";
import { validate } from "../base/standard-schema.ts";
import { isPromiseLike, withTimeout } from "../base/timers.ts";
import type { Conn } from "./conn.ts";
import type { ActorContext } from "./context.ts";
import { copyValue } from "./copy.ts";
import type { ActorInstance } from "./instance.ts";
import type { ActionCall } from "./observer.ts";

export async function invokeAction(instance: ActorInstance, name: string, args: unknown[], conn: Conn | undefined): Promise<unknown> {
  const { def } = instance;
  const fn = def.actions.get(name);
  if (fn === undefined) throw errors.actionNotFound(name);
  if (instance.status !== "running") throw errors.stopping();
  if (conn?.checking) {
    await conn.checking;
    conn.checking = undefined;
  }
  const refusal = conn?.refusal;
  if (refusal) {
    conn.refusal = undefined;
    throw refusal;
  }
  instance.begin();
  const call = instance.observer === undefined ? undefined : callStarted(instance, name, args, conn);
  let ended = false;
  let output: unknown;
  let failure: unknown;
  const ctx = instance.context(conn);
  const schema = def.argSchemas.get(name);
  try {
    try {
      if (schema) args = (await validate(schema, args, `arguments of action "${name}"`)) as unknown[];
      output = fn(ctx as never, ...args);
      if (isPromiseLike(output)) {
        const pending = Promise.resolve(output);
        const timeout = def.options.actionTimeout;
        try {
          output = await withTimeout(pending, timeout, () => errors.actionTimedOut(name, timeout));
        } catch (error) {
          if (isActorError(error) && error.code === "action_timed_out") {
            // The action goes on; the actor stays busy until it really ends.
            ended = true;
            const over = () => actionEnded(instance, ctx, call, error, undefined);
            pending.then(over, over);
          }
          throw error;
        }
      }
      const hook = def.config.onBeforeActionResponse;
      if (hook) output = await hook(ctx, name, args, output);
    } catch (error) {
      failure = error;
    }
    // A call that wrote nothing (or whose writes landed) answers without another turn.
    if (!instance.durableNow) await instance.whenDurable();
    if (failure !== undefined) throw instance.publicError(failure, `action "${name}" failed`);
    return copyValue(output);
  } finally {
    if (!ended) actionEnded(instance, ctx, call, failure, output);
  }
}

function callStarted(instance: ActorInstance, name: string, args: unknown[], conn: Conn | undefined): ActionCall {
  const call: ActionCall = { name, args, connId: conn?.id, startedAt: performance.now() };
  instance.observer?.notify({ type: "action.started", actor: instance, at: Date.now(), call });
  return call;
}

/** The action that was given `ctx` is over: it returned `output`, or threw `failure`. */
function actionEnded(instance: ActorInstance, ctx: ActorContext, call: ActionCall | undefined, failure: unknown, output: unknown): void {
  if (call !== undefined) {
    const durationMs = performance.now() - call.startedAt;
    const at = Date.now();
    instance.observer?.notify(
      failure === undefined
        ? { type: "action.ended", actor: instance, at, call, durationMs, ok: true, output }
        : { type: "action.ended", actor: instance, at, call, durationMs, ok: false, error: failure },
    );
  }
  instance.contextEnded(ctx);
  instance.end();
}
