// `actor({...})`: an actor definition with every installed feature (runtime/features.ts).

import type { ActorConfig } from "../actor/config.ts";
import { type ActorDefinition, defineActor } from "../actor/definition.ts";
import { FEATURES } from "./features.ts";

export function actor<S = undefined, CP = undefined, CS = undefined, V = undefined, I = undefined, A = {}, Q = {}, DB = undefined>(
  config: ActorConfig<S, CP, CS, V, I, A, Q, DB>,
): ActorDefinition<S, CP, CS, V, I, A, Q, DB> {
  return defineActor(config, FEATURES);
}
