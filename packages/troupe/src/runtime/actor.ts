// `actor({...})`: an actor definition with every installed feature (runtime/features.ts).

import type { ActorConfig } from "../actor/config.ts";
import { type ActorDefinition, defineActor } from "../actor/definition.ts";
import type { EventMap } from "../actor/events.ts";
import { FEATURES } from "./features.ts";

/**
 * E, the declared events, is inferred from `events` here rather than being a slot of ActorConfig:
 * features augment ActorConfig with a fixed list of type parameters.
 */
export function actor<
  S = undefined,
  CP = undefined,
  CS = undefined,
  V = undefined,
  I = undefined,
  A = {},
  Q = {},
  DB = undefined,
  E extends EventMap = {},
>(config: ActorConfig<S, CP, CS, V, I, A, Q, DB> & { events?: E }): ActorDefinition<S, CP, CS, V, I, A, Q, DB, E> {
  return defineActor(config, FEATURES);
}
