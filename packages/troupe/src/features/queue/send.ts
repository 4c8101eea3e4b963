// A client's send, once the host has the running instance and the sender's connection:
// the access check, then the enqueue.

import type { Conn } from "../../actor/conn.ts";
import { rivetkitBehaviour } from "../../actor/compatibility.ts";
import type { FeatureServices } from "../../actor/feature.ts";
import type { SendOptions } from "../../protocol/query.ts";
import { ActorError, errors } from "../../base/errors.ts";
import { type Enqueued, enqueue } from "./enqueue.ts";
import type { QueueFeature } from "./feature.ts";
import { QUEUE } from "./key.ts";

export type ClientSendOptions = SendOptions & { signal?: AbortSignal };

/** `canPublish` of the queue sees the sender's connection as `c.conn`; `false` is `auth.forbidden`. */
export function sendFromClient(
  instance: FeatureServices,
  conn: Conn,
  name: string,
  body: unknown,
  options: ClientSendOptions,
): Promise<Enqueued> {
  if (instance.status !== "running") throw errors.stopping();
  return instance.keepAwake(publish(instance, conn, name, body, options));
}

async function publish(instance: FeatureServices, conn: Conn, name: string, body: unknown, options: ClientSendOptions): Promise<Enqueued> {
  const feature = instance.feature(QUEUE) as QueueFeature;
  if (rivetkitBehaviour(instance) && !feature.declares(name)) {
    // RivetKit's behaviour: a send to an undeclared queue is accepted and dropped.
    return { id: 0, duplicate: false, message: undefined, completion: options.wait ? Promise.resolve({ status: "completed" }) : undefined };
  }
  const canPublish = feature.definition(name)?.canPublish;
  if (canPublish) {
    const allowed: unknown = await canPublish(instance.context(conn));
    if (typeof allowed !== "boolean") {
      throw new ActorError("actor", "internal_error", `canPublish of queue "${name}" returned ${typeof allowed}, not a boolean.`, {
        public: false,
      });
    }
    if (!allowed) throw errors.forbidden(`Not allowed to send to queue "${name}".`);
  }
  const wait = options.wait ? { timeout: options.timeout, signal: options.signal } : undefined;
  return enqueue(feature, name, body, { idempotencyKey: options.idempotencyKey, wait });
}
