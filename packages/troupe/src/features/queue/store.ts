// The queue data of one actor instance: pending messages in FIFO order, dead letters and recent
// idempotency keys, kept in memory and mirrored to storage through the instance's pending writes.

import type { FeatureServices } from "../../actor/feature.ts";
import { PendingMessages } from "./pending.ts";
import { compareBytes } from "../../base/bytes.ts";
import {
  DEAD_PREFIX,
  type DeadLetter,
  decodeRecord,
  encodeRecord,
  IDEMPOTENCY_PREFIX,
  type IdempotencyRecord,
  idempotencyKey,
  idempotencyKeyName,
  idKey,
  MESSAGE_PREFIX,
  META_KEY,
  QUEUE_PREFIX,
  type StoredMessage,
} from "./records.ts";

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  return key.byteLength >= prefix.byteLength && compareBytes(key.subarray(0, prefix.byteLength), prefix) === 0;
}

export class QueueStore {
  readonly #instance: FeatureServices;
  /** Pending messages, ascending id. */
  readonly pending = new PendingMessages();
  /** Dead letters, ascending id. */
  readonly dead: DeadLetter[] = [];
  /** Idempotency keys in the order they were given, so the oldest expire first. */
  readonly #keys = new Map<string, IdempotencyRecord>();
  #nextId = 1;

  constructor(instance: FeatureServices) {
    this.#instance = instance;
  }

  async load(): Promise<void> {
    const rows = await this.#instance.list({ prefix: new Uint8Array([QUEUE_PREFIX]) });
    const keys: Array<[string, IdempotencyRecord]> = [];
    for (const [key, value] of rows) {
      if (startsWith(key, MESSAGE_PREFIX)) this.pending.push(decodeRecord<StoredMessage>(value));
      else if (startsWith(key, DEAD_PREFIX)) this.dead.push(decodeRecord<DeadLetter>(value));
      else if (startsWith(key, IDEMPOTENCY_PREFIX)) keys.push([idempotencyKeyName(key), decodeRecord<IdempotencyRecord>(value)]);
      else if (compareBytes(key, META_KEY) === 0) this.#nextId = decodeRecord<{ nextId: number }>(value).nextId;
    }
    keys.sort((a, b) => a[1].at - b[1].at);
    for (const [name, record] of keys) this.#keys.set(name, record);
  }

  /** Appends a message; `body` is already encoded. */
  add(name: string, body: Uint8Array, now: number, key: string | undefined): StoredMessage {
    const message: StoredMessage = { id: this.#nextId++, name, body, createdAt: now, attempts: 0 };
    if (key !== undefined) {
      message.idempotencyKey = key;
      const record = { id: message.id, at: now };
      this.#keys.set(key, record);
      this.#put(idempotencyKey(key), encodeRecord(record));
    }
    this.pending.push(message);
    this.#put(META_KEY, encodeRecord({ nextId: this.#nextId }));
    this.#put(idKey(MESSAGE_PREFIX, message.id), encodeRecord(message));
    return message;
  }

  /** The id already given to idempotency key `key` within the last `ttl` ms; older keys are forgotten. */
  seen(key: string, now: number, ttl: number): number | undefined {
    for (const [name, record] of this.#keys) {
      if (record.at + ttl > now) break;
      this.#keys.delete(name);
      this.#delete(idempotencyKey(name));
    }
    return this.#keys.get(key)?.id;
  }

  isPending(message: StoredMessage): boolean {
    return this.pending.has(message);
  }

  remove(message: StoredMessage): void {
    this.pending.delete(message);
    this.#delete(idKey(MESSAGE_PREFIX, message.id));
  }

  /** Counts one more completable delivery of `message`. */
  delivered(message: StoredMessage): void {
    message.attempts++;
    this.#put(idKey(MESSAGE_PREFIX, message.id), encodeRecord(message));
  }

  /** Moves a message that failed too often to the dead-letter list. */
  bury(message: StoredMessage, now: number): DeadLetter {
    this.remove(message);
    const letter: DeadLetter = { ...message, failedAt: now };
    this.dead.push(letter);
    this.#put(idKey(DEAD_PREFIX, letter.id), encodeRecord(letter));
    return letter;
  }

  /** Puts a dead letter back at the end of the queue, under a new id, with its attempts reset. */
  revive(letter: DeadLetter, now: number): StoredMessage {
    this.drop(letter);
    return this.add(letter.name, letter.body, now, undefined);
  }

  drop(letter: DeadLetter): void {
    const at = this.dead.indexOf(letter);
    if (at >= 0) this.dead.splice(at, 1);
    this.#delete(idKey(DEAD_PREFIX, letter.id));
  }

  #put(key: Uint8Array, value: Uint8Array): void {
    this.#instance.writes.put(key, value);
  }

  #delete(key: Uint8Array): void {
    this.#instance.writes.delete(key);
  }
}
