// An actor's queue as the inspector reads it: from the live queue when the actor is awake (with
// the messages in flight), from storage when it sleeps (where nothing is in flight).

import { QUEUE } from "../features/queue/key.ts";
import { DEAD_PREFIX, type DeadLetter, decodeRecord, MESSAGE_PREFIX, type StoredMessage } from "../features/queue/records.ts";
import type { StorageDriver } from "../storage/driver.ts";
import type { Located } from "./actors.ts";

export interface QueueContents {
  readonly pending: readonly StoredMessage[];
  readonly dead: readonly DeadLetter[];
  inFlight(id: number): boolean;
}

export async function queueContents(driver: StorageDriver, actor: Located): Promise<QueueContents> {
  const queue = actor.instance?.feature(QUEUE);
  if (queue !== undefined) {
    const { store } = await queue.dispatcher();
    await store.pending.readAll();
    return { pending: [...store.pending], dead: store.dead, inFlight: (id) => queue.isInFlight(id) };
  }
  const [pending, dead] = await Promise.all([
    driver.list(actor.id, { prefix: MESSAGE_PREFIX }),
    driver.list(actor.id, { prefix: DEAD_PREFIX }),
  ]);
  return {
    pending: pending.map(([, value]) => decodeRecord<StoredMessage>(value)),
    dead: dead.map(([, value]) => decodeRecord<DeadLetter>(value)),
    inFlight: () => false,
  };
}
