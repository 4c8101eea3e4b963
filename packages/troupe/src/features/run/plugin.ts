// The run handler as a feature: it owns the `run` key of `actor({...})`.

import type { ActorContext } from "../../actor/context.ts";
import { featureKey, type FeaturePlugin } from "../../actor/feature.ts";
import { type RunConfig, RunFeature, runHandlerOf, validateRun } from "./feature.ts";

export { type RunConfig, type RunFeature, runHandlerOf };

declare module "../../actor/config.ts" {
  interface ActorConfig<S, CP, CS, V, I, A, Q, DB> {
    /** Runs in the background after every wake; see features/run. */
    run?: RunConfig<ActorContext<S, CP, CS, V, Q, DB>>;
  }
}

export const RUN = featureKey<RunFeature>("run");

export const runFeature: FeaturePlugin<RunFeature> = {
  key: RUN,
  config: { run: validateRun },
  create(services) {
    const handler = runHandlerOf(services.def.config.run as RunConfig | undefined);
    return handler && new RunFeature(services, handler);
  },
};
