// The queue data of one actor instance: pending messages in FIFO order, dead letters and recent
// idempotency keys, kept in memory and mirrored to storage through the instance's pending writes
// (pending messages of an earlier activation are read as they are reached: pending.ts).

import type { FeatureServices } from "../../actor/feature.ts";
import { PendingMessages } from "./pending.ts";
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
  type QueueMeta,
  type StoredMessage,
} from "./records.ts";

export class QueueStore {
  readonly #instance: FeatureServices;
  /** Pending messages, ascending id. */
  readonly pending: PendingMessages;
  /** Dead letters, ascending id. */
  readonly dead: DeadLetter[];
  /** Idempotency keys in the order they were given, so the oldest expire first. */
  readonly #keys: Map<string, IdempotencyRecord>;
  #nextId: number;

  private constructor(instance: FeatureServices, meta: Required<QueueMeta>, dead: DeadLetter[], keys: Map<string, IdempotencyRecord>) {
    this.#instance = instance;
    this.#nextId = meta.nextId;
    this.pending = new PendingMessages((from, to, limit) => this.#readMessages(from, to, limit), meta.count, meta.nextId);
    this.dead = dead;
    this.#keys = keys;
  }

  /**
   * Reads what the queue keeps beside its messages; the messages themselves are read a page at a
   * time as takes reach them (pending.ts).
   */
  static async load(instance: FeatureServices): Promise<QueueStore> {
    const [[metaBytes], deadRows, keyRows] = await Promise.all([
      instance.read([META_KEY]),
      instance.list({ prefix: DEAD_PREFIX }),
      instance.list({ prefix: IDEMPOTENCY_PREFIX }),
    ]);
    const meta = metaBytes === undefined ? { nextId: 1, count: 0 } : decodeRecord<QueueMeta>(metaBytes);
    // Stored before the count was kept: counted once, by reading them all.
    const count = meta.count ?? (await instance.list({ prefix: MESSAGE_PREFIX })).length;
    const dead = deadRows.map(([, value]) => decodeRecord<DeadLetter>(value));
    const keys = keyRows.map(([key, value]): [string, IdempotencyRecord] => [
      idempotencyKeyName(key),
      decodeRecord<IdempotencyRecord>(value),
    ]);
    keys.sort((a, b) => a[1].at - b[1].at);
    return new QueueStore(instance, { nextId: meta.nextId, count }, dead, new Map(keys));
  }

  async #readMessages(from: number, to: number, limit: number): Promise<StoredMessage[]> {
    const rows = await this.#instance.list({ start: idKey(MESSAGE_PREFIX, from), end: idKey(MESSAGE_PREFIX, to), limit });
    return rows.map(([, value]) => decodeRecord<StoredMessage>(value));
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
    this.#putMeta();
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
    this.#putMeta();
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

  /** The next id and the count of pending messages, written in the same commit as the change to them. */
  #putMeta(): void {
    this.#put(META_KEY, encodeRecord({ nextId: this.#nextId, count: this.pending.length }));
  }

  #put(key: Uint8Array, value: Uint8Array): void {
    this.#instance.writes.put(key, value);
  }

  #delete(key: Uint8Array): void {
    this.#instance.writes.delete(key);
  }
}
