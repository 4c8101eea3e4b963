// Connection params for one call or connection: `getParams()` when given (called every time, so
// a refreshed token is picked up on reconnect), else the static `params`.

import { ActorError } from "../base/errors.ts";
import type { CallOptions } from "./driver.ts";

export async function paramsFor(options: CallOptions): Promise<unknown> {
  if (!options.getParams) return options.params;
  try {
    return await options.getParams();
  } catch (error) {
    throw new ActorError("client", "get_params_failed", `getParams failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
