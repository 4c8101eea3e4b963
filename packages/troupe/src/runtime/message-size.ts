// The size an in-process message would have on the wire, measured only when it may matter: a walk
// bounds the CBOR encoding from above (a few property reads for the usual small arguments), and
// only a message whose bound passes the limit is encoded to learn its exact size.

import { encodeCbor } from "../base/cbor.ts";
import { MAX_VALUE_DEPTH } from "../base/values.ts";
import { copyValue } from "../actor/copy.ts";

/** Room for any CBOR header (up to 9 bytes) and tag (up to 3). */
const HEADER = 12;

/** The CBOR size of `value` when it is over `limit` bytes; undefined when it fits. */
export function sizeOver(value: unknown, limit: number): number | undefined {
  if (bound(value, limit, 0) <= limit) return undefined;
  let size: number;
  try {
    size = encodeCbor(value).byteLength;
  } catch {
    // A function or a cycle does not encode: measure what the call will carry, its copy (which
    // drops functions, and refuses a cycle with message.unsupported_value as the wire would).
    size = encodeCbor(copyValue(value)).byteLength;
  }
  return size > limit ? size : undefined;
}

/**
 * At least the CBOR size of `value`, or more than `budget` as soon as that is certain: the walk
 * stops there (so a cycle or a deep nesting costs no more than the limit allows). Plain loops, no
 * closures: this runs on every in-process call.
 */
function bound(value: unknown, budget: number, depth: number): number {
  if (typeof value === "string") return HEADER + 3 * value.length; // a UTF-16 unit is at most 3 UTF-8 bytes
  if (typeof value === "bigint") return HEADER + value.toString(16).length;
  if (typeof value !== "object" || value === null) return HEADER;
  if (depth > MAX_VALUE_DEPTH) return Number.POSITIVE_INFINITY;
  let size = HEADER;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && size <= budget; i++) size += bound(value[i], budget - size, depth + 1);
    return size;
  }
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return HEADER + value.byteLength;
  if (value instanceof Date) return HEADER + 9;
  if (value instanceof RegExp) return 3 * HEADER + 3 * (value.source.length + value.flags.length);
  if (value instanceof Map) {
    for (const [k, v] of value) {
      if (size > budget) break;
      size += bound(k, budget - size, depth + 1);
      size += bound(v, budget - size, depth + 1);
    }
    return size;
  }
  if (value instanceof Set) {
    for (const item of value) {
      if (size > budget) break;
      size += bound(item, budget - size, depth + 1);
    }
    return size;
  }
  // `for in` also walks inherited enumerable keys: more than is encoded, never less.
  for (const key in value) {
    if (size > budget) break;
    size += HEADER + 3 * key.length + bound((value as Record<string, unknown>)[key], budget - size, depth + 1);
  }
  return size;
}
