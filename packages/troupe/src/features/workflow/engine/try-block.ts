// ctx.try: runs a block of workflow code and turns the failures it lists into a value, as
// ctx.tryStep does for one step. It is not an entry of its own: the entries inside it are
// recorded (and replayed) as if it were not there, so a replay takes the same branch.

import { isErrorCode } from "../../../base/errors.ts";
import { StepFailedError, workflowErrors } from "./errors.ts";
import { checkName } from "./path.ts";

/** What a block failure comes from: a step that failed for good, a failed join, or the block's own code. */
export type TryFailureSource = "step" | "join" | "block";

export type TryBlockResult<T> =
  | { ok: true; value: T }
  | { ok: false; failure: { source: TryFailureSource; name: string; error: Error; step?: string } };

export interface TryBlockOptions<T, Ctx> {
  name: string;
  run: (ctx: Ctx) => Promise<T>;
  /** The failures turned into `{ ok: false }`; the others are thrown. Default: step and join. */
  catch?: readonly TryFailureSource[];
}

const DEFAULT_CATCH: readonly TryFailureSource[] = ["step", "join"];

export async function runTryBlock<T, Ctx>(ctx: Ctx, nameOrConfig: string | TryBlockOptions<T, Ctx>, run?: (ctx: Ctx) => Promise<T>) {
  const config: Partial<TryBlockOptions<T, Ctx>> = typeof nameOrConfig === "string" ? { name: nameOrConfig, run } : nameOrConfig;
  const name = checkName(config?.name, "ctx.try");
  if (typeof config.run !== "function") throw workflowErrors.invalidArgument(`ctx.try("${name}") needs a function to run.`);
  const caught = config.catch ?? DEFAULT_CATCH;
  try {
    return { ok: true, value: await config.run(ctx) } as TryBlockResult<T>;
  } catch (error) {
    const source: TryFailureSource =
      error instanceof StepFailedError ? "step" : isErrorCode(error, "workflow", "join_failed") ? "join" : "block";
    if (!caught.includes(source) || !(error instanceof Error)) throw error;
    const failure: { source: TryFailureSource; name: string; error: Error; step?: string } = { source, name, error };
    if (error instanceof StepFailedError) failure.step = error.stepName;
    return { ok: false, failure } as TryBlockResult<T>;
  }
}
