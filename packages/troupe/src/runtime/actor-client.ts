// `c.client()`: the in-process typed client an actor uses to call other actors of its registry.
// The runtime provides it, as a feature of its own, because only the runtime knows the registry.

import { type Feature, type FeaturePlugin, featureKey } from "../actor/feature.ts";
import type { Client } from "../client/types.ts";

declare module "../actor/context.ts" {
  interface ActorContext<S, CP, CS, V, Q, DB> {
    /** A typed client for calling other actors of the same registry: `c.client<typeof registry>()`. */
    client<R = unknown>(): Client<R>;
  }
}

/** The registry's in-process client, as the runtime provides it. */
export const IN_PROCESS_CLIENT = featureKey<Client<unknown>>("runtime.client");

export const actorClientFeature: FeaturePlugin = {
  key: featureKey<Feature>("client"),
  context: {
    client: (_c, services) => () => services.resource(IN_PROCESS_CLIENT),
  },
  create: () => undefined,
};
