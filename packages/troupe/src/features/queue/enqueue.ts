// Taking a message into the actor's queue: its declaration and schema, the size limits and the
// idempotency key are checked, then it is appended durably and handed to a waiting receive.

import { copyValue } from "../../actor/copy.ts";
import { encodeCbor } from "../../base/cbor.ts";
import { errors } from "../../base/errors.ts";
import type { SendResult } from "../../protocol/query.ts";
import { queueErrors } from "./errors.ts";
import type { QueueFeature } from "./feature.ts";
import type { StoredMessage } from "./records.ts";
import { validate } from "../../base/standard-schema.ts";
import { waitersOf } from "./waiters.ts";

const MAX_IDEMPOTENCY_KEY_BYTES = 256;

export interface EnqueueOptions {
  idempotencyKey?: string;
  /** Register a completion waiter (before any consumer can see the message). */
  wait?: { timeout?: number; signal?: AbortSignal };
}

export interface Enqueued {
  id: number;
  /** The send repeated an idempotency key: nothing new was enqueued. */
  duplicate: boolean;
  message: StoredMessage | undefined;
  completion?: Promise<SendResult>;
}

/** Validates, limits and durably appends a message to queue `name`; resolves once it is committed. */
export async function enqueue(queue: QueueFeature, name: string, body: unknown, options: EnqueueOptions = {}): Promise<Enqueued> {
  const { instance } = queue;
  const def = queue.definition(name);
  const value = def?.message ? await validate(def.message, body, `message for queue "${name}"`) : body;
  const encoded = encodeCbor(copyValue(value));
  const limits = instance.def.options;
  if (encoded.byteLength > limits.maxQueueMessageSize) throw queueErrors.tooLarge(encoded.byteLength, limits.maxQueueMessageSize);
  const key = options.idempotencyKey;
  if (
    key !== undefined &&
    (typeof key !== "string" || key === "" || new TextEncoder().encode(key).byteLength > MAX_IDEMPOTENCY_KEY_BYTES)
  ) {
    throw queueErrors.invalidKey();
  }
  const dispatcher = await queue.dispatcher();
  const { store } = dispatcher;
  if (instance.status === "stopped") throw errors.stopping();
  const now = Date.now();
  const waiters = waitersOf(instance);
  if (key !== undefined) {
    const id = store.seen(key, now, limits.queueIdempotencyTtl);
    if (id !== undefined) {
      const message = await store.pending.find(id);
      const enqueued: Enqueued = { id, duplicate: true, message };
      if (options.wait) {
        // A first message still queued is waited on; one no longer queued counts as completed.
        enqueued.completion = message
          ? waiters.wait(instance.id, id, options.wait.timeout, options.wait.signal)
          : Promise.resolve({ status: "completed" });
      }
      return enqueued;
    }
  }
  if (store.pending.length >= limits.maxQueueSize) throw queueErrors.full(limits.maxQueueSize);
  const message = store.add(name, encoded, now, key);
  instance.observer?.notify({
    type: "queue.sent",
    actor: instance,
    at: now,
    messageId: message.id,
    queue: name,
    bytes: encoded.byteLength,
  });
  const enqueued: Enqueued = { id: message.id, duplicate: false, message };
  if (options.wait) enqueued.completion = waiters.wait(instance.id, message.id, options.wait.timeout, options.wait.signal);
  await instance.whenDurable();
  dispatcher.dispatch();
  return enqueued;
}
