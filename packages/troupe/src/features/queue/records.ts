// How queue data sits in the actor's key-value namespace, under QUEUE_PREFIX:
//   [queue, 0x00]              the next message id and the count of pending messages
//   [queue, 0x01, id:u64]      a pending message (FIFO order is key order)
//   [queue, 0x02, id:u64]      a dead letter
//   [queue, 0x03, key:utf8]    an idempotency key: the id it was given and when

import { decodeCbor, encodeCbor } from "../../base/cbor.ts";
import type { Bytes } from "../../storage/driver.ts";

const utf8 = new TextEncoder();
const utf8Decode = new TextDecoder();

/** The byte in front of every key of the queue feature. */
export const QUEUE_PREFIX = 0x03;

export const META_KEY = new Uint8Array([QUEUE_PREFIX, 0x00]);
export const MESSAGE_PREFIX = new Uint8Array([QUEUE_PREFIX, 0x01]);
export const DEAD_PREFIX = new Uint8Array([QUEUE_PREFIX, 0x02]);
export const IDEMPOTENCY_PREFIX = new Uint8Array([QUEUE_PREFIX, 0x03]);

/** A message as stored; the body stays encoded until it is delivered. */
export interface StoredMessage {
  id: number;
  name: string;
  body: Bytes;
  createdAt: number;
  /** Completable deliveries so far. */
  attempts: number;
  idempotencyKey?: string;
}

export interface DeadLetter extends StoredMessage {
  /** When it was moved to the dead-letter list. */
  failedAt: number;
}

export interface QueueMeta {
  nextId: number;
  /** Pending messages; absent in what was stored before it was kept. */
  count?: number;
}

export interface IdempotencyRecord {
  id: number;
  at: number;
}

export function idKey(prefix: Bytes, id: number): Bytes {
  const out = new Uint8Array(prefix.byteLength + 8);
  out.set(prefix);
  new DataView(out.buffer).setBigUint64(prefix.byteLength, BigInt(id));
  return out;
}

export function idempotencyKey(key: string): Bytes {
  const bytes = utf8.encode(key);
  const out = new Uint8Array(IDEMPOTENCY_PREFIX.byteLength + bytes.byteLength);
  out.set(IDEMPOTENCY_PREFIX);
  out.set(bytes, IDEMPOTENCY_PREFIX.byteLength);
  return out;
}

export function idempotencyKeyName(key: Bytes): string {
  return utf8Decode.decode(key.subarray(IDEMPOTENCY_PREFIX.byteLength));
}

export function encodeRecord(record: StoredMessage | DeadLetter | IdempotencyRecord | QueueMeta): Bytes {
  return encodeCbor(record);
}

export function decodeRecord<T>(bytes: Bytes): T {
  return decodeCbor(bytes) as T;
}
