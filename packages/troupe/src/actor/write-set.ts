// Key-value writes of one actor waiting for the next commit (queue, schedule, kv, ...).

import type { Bytes, KvWrites } from "../storage/driver.ts";

function hex(bytes: Bytes): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Every write schedules a commit (`onWrite`). */
export class WriteSet {
  #entries = new Map<string, [Bytes, Bytes | undefined]>();
  #ranges: Array<[Bytes, Bytes]> = [];
  readonly #onWrite: () => void;

  constructor(onWrite: () => void) {
    this.#onWrite = onWrite;
  }

  get size(): number {
    return this.#entries.size + this.#ranges.length;
  }

  put(key: Bytes, value: Bytes): void {
    this.#entries.set(hex(key), [key, value]);
    this.#onWrite();
  }

  delete(key: Bytes): void {
    this.#entries.set(hex(key), [key, undefined]);
    this.#onWrite();
  }

  /** Deletes [start, end); writes made before it inside the range are dropped. */
  deleteRange(start: Bytes, end: Bytes): void {
    const lo = hex(start);
    const hi = hex(end);
    for (const k of [...this.#entries.keys()]) if (k >= lo && k < hi) this.#entries.delete(k);
    this.#ranges.push([start, end]);
    this.#onWrite();
  }

  /** A pending write of `key`: `[true, value]` (value undefined = deleted) or `[false]` if none. */
  pending(key: Bytes): [true, Bytes | undefined] | [false] {
    const id = hex(key);
    const entry = this.#entries.get(id);
    if (entry) return [true, entry[1]];
    // A key inside a pending deleteRange is pending deletion, even though it has no entry.
    for (const [start, end] of this.#ranges) if (id >= hex(start) && id < hex(end)) return [true, undefined];
    return [false];
  }

  /** Moves the writes into `into` and empties the set. */
  drainInto(into: KvWrites): void {
    if (this.#ranges.length > 0) into.deleteRanges = this.#ranges;
    for (const [key, value] of this.#entries.values()) {
      if (value === undefined) (into.deletes ??= []).push(key);
      else (into.puts ??= []).push([key, value]);
    }
    this.#entries = new Map();
    this.#ranges = [];
  }
}
