// What other features reach of the queue: its typed key, and the error a consumer gets for
// receiving while a completable message is outstanding (the workflow's queue reports it too).

import { featureKey } from "../../actor/feature.ts";
import type { QueueFeature } from "./feature.ts";

export type { QueueBody, QueueCompletion, QueueName } from "./definition.ts";
export { queueErrors } from "./errors.ts";
export type { QueueFeature };
export type { CompletableQueueMessage } from "./types.ts";

export const QUEUE = featureKey<QueueFeature>("queue");
