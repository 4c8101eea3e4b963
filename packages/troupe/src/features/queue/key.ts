// The queue feature's typed key, for the features and the host that reach it.

import { featureKey } from "../../actor/feature.ts";
import type { QueueFeature } from "./feature.ts";

export const QUEUE = featureKey<QueueFeature>("queue");
