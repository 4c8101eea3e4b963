// Queues as a feature: the `queues` key of `actor({...})`, the queue options, and `c.queue`.

import { duration, positiveInteger } from "../../actor/options.ts";
import type { FeaturePlugin } from "../../actor/feature.ts";
import type { ActorQueue } from "./api.ts";
import { validateQueues } from "./definition.ts";
import { QueueFeature } from "./feature.ts";
import { QUEUE_ERROR_CODES } from "./errors.ts";
import { QUEUE } from "./key.ts";
import { QUEUE_PREFIX } from "./records.ts";

declare module "../../actor/config.ts" {
  interface ActorConfig<S, CP, CS, V, I, A, Q, DB> {
    /** Durable queues by name: `{ jobs: queue<Job, Result>() }`. The "default" queue always exists. */
    queues?: Q;
  }
}

declare module "../../actor/context.ts" {
  interface ActorContext<S, CP, CS, V, Q, DB> {
    /** This actor's queues: `next`/`nextBatch`/`iter` to receive, `send` to enqueue (see features/queue/api.ts). */
    readonly queue: ActorQueue<Q>;
  }
}

declare module "../../actor/options.ts" {
  interface ActorOptions {
    /** Messages the actor's queues may hold together; one more fails with `queue.full`. Default 1000. */
    maxQueueSize?: number;
    /** Largest queue message in bytes, once encoded; a larger one fails with `queue.message_too_large`. Default 64 KiB. */
    maxQueueMessageSize?: number;
    /** Completable deliveries a message gets before it moves to the dead letters. Default 5. */
    maxQueueDeliveries?: number;
    /** How long (ms) an idempotency key of a queue send is remembered. Default 1 hour. */
    queueIdempotencyTtl?: number;
  }
}

export const queueFeature: FeaturePlugin<QueueFeature> = {
  key: QUEUE,
  config: { queues: validateQueues },
  errorCodes: QUEUE_ERROR_CODES,
  storagePrefix: QUEUE_PREFIX,
  options: {
    maxQueueSize: positiveInteger(1000),
    maxQueueMessageSize: positiveInteger(64 * 1024),
    maxQueueDeliveries: positiveInteger(5),
    queueIdempotencyTtl: duration(60 * 60 * 1000),
  },
  context: {
    queue: (c, services) => (services.feature(QUEUE) as QueueFeature).api(c),
  },
  // Every actor has a queue (the "default" one); its bookkeeping is allocated on first use.
  create: (services) => new QueueFeature(services),
};
