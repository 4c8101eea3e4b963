// What other features reach of the queue: its typed key, and the error a consumer gets for
// receiving while a completable message is outstanding (the workflow's queue reports it too).

import { featureKey } from "../../actor/feature.ts";
import type { QueueFeature } from "./feature.ts";

export { queueErrors } from "./errors.ts";

export const QUEUE = featureKey<QueueFeature>("queue");
