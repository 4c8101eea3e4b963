// A byte-keyed map kept in key order, for the memory driver: binary search over parallel arrays is
// enough for tests and development, and keeps `list` a slice instead of a sort.

import { compareBytes } from "../../base/bytes.ts";
import type { Bytes } from "../driver.ts";
import type { KeyRange } from "../key-range.ts";

export class SortedKv {
  private readonly keys: Bytes[] = [];
  private readonly values: Bytes[] = [];

  get(key: Bytes): Bytes | undefined {
    const i = this.lowerBound(key);
    return i < this.keys.length && compareBytes(this.keys[i]!, key) === 0 ? this.values[i] : undefined;
  }

  set(key: Bytes, value: Bytes): void {
    const i = this.lowerBound(key);
    if (i < this.keys.length && compareBytes(this.keys[i]!, key) === 0) {
      this.values[i] = value;
    } else {
      this.keys.splice(i, 0, key);
      this.values.splice(i, 0, value);
    }
  }

  delete(key: Bytes): void {
    const i = this.lowerBound(key);
    if (i < this.keys.length && compareBytes(this.keys[i]!, key) === 0) {
      this.keys.splice(i, 1);
      this.values.splice(i, 1);
    }
  }

  deleteRange(start: Bytes, end: Bytes): void {
    const from = this.lowerBound(start);
    const to = this.lowerBound(end);
    if (to > from) {
      this.keys.splice(from, to - from);
      this.values.splice(from, to - from);
    }
  }

  /** Entries of `range` in key order (or reversed), at most `limit` of them, without copying. */
  range(range: KeyRange, reverse: boolean, limit: number): Array<[Bytes, Bytes]> {
    const from = this.lowerBound(range.start);
    const to = range.end === undefined ? this.keys.length : this.lowerBound(range.end);
    const count = Math.min(limit, Math.max(0, to - from));
    const out: Array<[Bytes, Bytes]> = [];
    for (let n = 0; n < count; n++) {
      const i = reverse ? to - 1 - n : from + n;
      out.push([this.keys[i]!, this.values[i]!]);
    }
    return out;
  }

  /** Index of the first key >= `key`. */
  private lowerBound(key: Bytes): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareBytes(this.keys[mid]!, key) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
