// `c.kv`: the actor's own ordered key-value store. It lives in the actor's storage namespace under
// KV_PREFIX and goes out in the same group commit as the state, so a write is acknowledged (its
// promise resolves) only once it is durable, as a state change is.

import { attribute } from "../../actor/attribution.ts";
import type { FeatureServices } from "../../actor/feature.ts";
import { errors } from "../../base/errors.ts";
import { decodeValue, encodeValue, inputBytes, type KvInput, type KvValue, type KvValueType, storageKey, userKey } from "./codec.ts";
import { kvErrors } from "./errors.ts";

/** What a read returns for each value type: as stored (string or bytes) when none is asked. */
export type KvValueOf<T extends KvValueType | undefined> = T extends "text"
  ? string
  : T extends "binary"
    ? Uint8Array
    : T extends "arrayBuffer"
      ? ArrayBuffer
      : KvValue;

export type KvKeyType = "text" | "binary";
export type KvKeyOf<K extends KvKeyType | undefined> = K extends "binary" ? Uint8Array : string;

export interface KvGetOptions<T extends KvValueType | undefined = undefined> {
  /** Convert values: "text" (UTF-8), "binary" (Uint8Array) or "arrayBuffer". Default: as stored. */
  type?: T;
}

export interface KvRangeOptions<T extends KvValueType | undefined = undefined, K extends KvKeyType | undefined = undefined>
  extends KvGetOptions<T> {
  /** Keys come back as strings (UTF-8) unless this is "binary". */
  keyType?: K;
  /** Descending key order; with `limit`, the last keys of the range. */
  reverse?: boolean;
  /** At most this many entries. */
  limit?: number;
}

export interface KvListOptions<T extends KvValueType | undefined = undefined, K extends KvKeyType | undefined = undefined>
  extends KvRangeOptions<T, K> {
  /** Only keys that start with these bytes (or this string's UTF-8 bytes). */
  prefix?: KvInput;
}

export type KvEntry<T extends KvValueType | undefined, K extends KvKeyType | undefined> = [KvKeyOf<K>, KvValueOf<T>];

export class ActorKv {
  readonly #instance: FeatureServices;

  /** @internal */
  constructor(instance: FeatureServices) {
    this.#instance = instance;
  }

  async get<T extends KvValueType | undefined = undefined>(key: KvInput, options?: KvGetOptions<T>): Promise<KvValueOf<T> | undefined> {
    const [value] = await this.getBatch([key], options);
    return value;
  }

  /** Values in the order of `keys`; undefined where a key has none. */
  async getBatch<T extends KvValueType | undefined = undefined>(
    keys: KvInput[],
    options: KvGetOptions<T> = {},
  ): Promise<Array<KvValueOf<T> | undefined>> {
    const stored = keys.map((key) => storageKey(inputBytes(key)));
    const found: Array<Uint8Array | undefined> = new Array(stored.length);
    const missing: number[] = [];
    // Writes not yet committed are read from the write set, so an actor always sees its own writes.
    stored.forEach((key, i) => {
      const pending = this.#instance.writes.pending(key);
      if (pending[0]) found[i] = pending[1];
      else missing.push(i);
    });
    if (missing.length > 0) {
      const values = await this.#instance.read(missing.map((i) => stored[i]!));
      missing.forEach((index, j) => {
        found[index] = values[j];
      });
    }
    return found.map((value) => (value === undefined ? undefined : (decodeValue(value, options.type) as KvValueOf<T>)));
  }

  /** Resolves once the write is durable (with `durability: "relaxed"`, at once). */
  async put(key: KvInput, value: KvInput): Promise<void> {
    return this.putBatch([[key, value]]);
  }

  /** Writes every entry, or none if one of them is invalid. */
  async putBatch(entries: Array<[KvInput, KvInput]>): Promise<void> {
    const encoded = entries.map(([key, value]) => this.#checked(key, value));
    return this.#write(() => {
      for (const [key, value] of encoded) this.#instance.writes.put(key, value);
    });
  }

  async delete(key: KvInput): Promise<void> {
    return this.deleteBatch([key]);
  }

  async deleteBatch(keys: KvInput[]): Promise<void> {
    const stored = keys.map((key) => storageKey(inputBytes(key)));
    return this.#write(() => {
      for (const key of stored) this.#instance.writes.delete(key);
    });
  }

  /** Deletes every key from `start` (included) to `end` (excluded). */
  async deleteRange(start: KvInput, end: KvInput): Promise<void> {
    const from = storageKey(inputBytes(start));
    const to = storageKey(inputBytes(end));
    return this.#write(() => this.#instance.writes.deleteRange(from, to));
  }

  /** Entries in key order, full keys included; `prefix` as the first argument or in the options. */
  async list<T extends KvValueType | undefined = undefined, K extends KvKeyType | undefined = undefined>(
    prefix?: KvInput | KvListOptions<T, K>,
    options: KvListOptions<T, K> = {},
  ): Promise<Array<KvEntry<T, K>>> {
    const merged = isInput(prefix) ? { ...options, prefix } : { ...options, ...prefix };
    return this.#list({ prefix: storageKey(merged.prefix === undefined ? new Uint8Array(0) : inputBytes(merged.prefix)) }, merged);
  }

  /** Entries from `start` (included) to `end` (excluded), in key order. */
  async listRange<T extends KvValueType | undefined = undefined, K extends KvKeyType | undefined = undefined>(
    start: KvInput,
    end: KvInput,
    options: KvRangeOptions<T, K> = {},
  ): Promise<Array<KvEntry<T, K>>> {
    return this.#list({ start: storageKey(inputBytes(start)), end: storageKey(inputBytes(end)) }, options);
  }

  // RivetKit's names for the batch calls, so that its actors port unchanged.
  batchGet<T extends KvValueType | undefined = undefined>(
    keys: KvInput[],
    options?: KvGetOptions<T>,
  ): Promise<Array<KvValueOf<T> | undefined>> {
    return this.getBatch(keys, options);
  }
  batchPut(entries: Array<[KvInput, KvInput]>): Promise<void> {
    return this.putBatch(entries);
  }
  batchDelete(keys: KvInput[]): Promise<void> {
    return this.deleteBatch(keys);
  }

  async #list<T extends KvValueType | undefined, K extends KvKeyType | undefined>(
    range: { prefix?: Uint8Array; start?: Uint8Array; end?: Uint8Array },
    options: KvRangeOptions<T, K>,
  ): Promise<Array<KvEntry<T, K>>> {
    // Pending writes are committed first, so the listing includes them without merging the
    // write set into the driver's answer (deleted ranges and limits make that merge subtle).
    await this.#instance.flush();
    const rows = await this.#instance.list({
      ...range,
      reverse: options.reverse,
      limit: options.limit,
    });
    const keyType = options.keyType ?? "text";
    return rows.map(([key, value]) => [userKey(key, keyType) as KvKeyOf<K>, decodeValue(value, options.type) as KvValueOf<T>]);
  }

  #checked(key: KvInput, value: KvInput): [Uint8Array, Uint8Array] {
    const { maxKvKeySize, maxKvValueSize } = this.#instance.def.options;
    const keyBytes = inputBytes(key);
    if (keyBytes.byteLength > maxKvKeySize) {
      throw kvErrors.keyTooLarge(keyBytes.byteLength, maxKvKeySize);
    }
    const stored = encodeValue(value);
    const size = stored.byteLength - 1;
    if (size > maxKvValueSize) {
      throw kvErrors.valueTooLarge(size, maxKvValueSize);
    }
    return [storageKey(keyBytes), stored];
  }

  #write(stage: () => void): Promise<void> {
    const instance = this.#instance;
    if (instance.status === "stopped") return Promise.reject(attribute(errors.stopping(), instance.log));
    stage();
    return instance.whenDurable();
  }
}

function isInput(value: unknown): value is KvInput {
  return typeof value === "string" || value instanceof Uint8Array || value instanceof ArrayBuffer;
}
