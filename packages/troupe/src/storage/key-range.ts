// Turns the `prefix`, `start` and `end` of ListOptions into one half-open range, so that every
// driver answers `list` the same way.

import { compareBytes, EMPTY_BYTES, prefixEnd } from "../base/bytes.ts";
import type { Bytes, ListOptions } from "./driver.ts";

export interface KeyRange {
  /** Inclusive; the empty key when unbounded (it sorts before every other key). */
  start: Bytes;
  /** Exclusive; undefined when unbounded. */
  end: Bytes | undefined;
}

/** The range [start, end) that `options` selects, or undefined when it selects nothing. */
export function keyRange(options: ListOptions): KeyRange | undefined {
  let start = options.start ?? EMPTY_BYTES;
  let end = options.end;
  if (options.prefix !== undefined) {
    if (compareBytes(options.prefix, start) > 0) start = options.prefix;
    const afterPrefix = prefixEnd(options.prefix);
    if (afterPrefix !== undefined && (end === undefined || compareBytes(afterPrefix, end) < 0)) end = afterPrefix;
  }
  if (end !== undefined && compareBytes(start, end) >= 0) return undefined;
  return { start, end };
}

/** A `limit` option as a count: unlimited when absent, none when zero or negative. */
export function limitOf(limit: number | undefined): number {
  if (limit === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.floor(limit));
}
