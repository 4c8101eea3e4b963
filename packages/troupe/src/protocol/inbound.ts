// A decoded message, checked against the rules for values (base/values.ts) before anything reads
// it: bounded nesting, no shared or cyclic references (CBOR can encode both, with tags 28/29: a
// few shared references nested in each other make a value exponentially large once copied), and
// no `__proto__` key, renamed as cbor-x renames it, so both encodings give the actor the same value.

import { MAX_VALUE_DEPTH, PROTO_KEY, RENAMED_PROTO_KEY, unsupportedValue } from "../base/values.ts";
import type { Encoding } from "./wire.ts";

/** A message's own levels (a body object and its `args` array) on top of the values it carries. */
export const ENVELOPE_DEPTH = 2;
export const MAX_MESSAGE_DEPTH = MAX_VALUE_DEPTH + ENVELOPE_DEPTH;

const TOO_DEEP = Symbol("too deep");
const SHARED = Symbol("shared");

/**
 * Returns `value`, decoded from `source` (changed in place only to rename `__proto__` keys), or
 * throws `message.unsupported_value`.
 */
export function checkInbound(value: unknown, encoding: Encoding, source: string | Uint8Array): unknown {
  if (typeof value !== "object" || value === null) return value;
  const seen = mayShare(encoding, source) ? new Set<object>() : undefined;
  try {
    walk(value, 1, seen);
  } catch (error) {
    if (error === TOO_DEEP) throw unsupportedValue("too_deep", value, "message", MAX_MESSAGE_DEPTH);
    if (error === SHARED) throw unsupportedValue("shared", value, "message", MAX_MESSAGE_DEPTH);
    throw error;
  }
  return value;
}

/**
 * Whether the decoded value may refer to one object twice. JSON.parse makes a fresh object for
 * every value; CBOR does so too unless it holds tag 28 or 29, whose number ends in a byte 0x1c or
 * 0x1d whatever its width: bytes with neither need no record of the objects met.
 */
function mayShare(encoding: Encoding, source: string | Uint8Array): boolean {
  if (encoding === "json") return false;
  if (typeof source === "string") return true;
  return source.includes(0x1c) || source.includes(0x1d);
}

function walk(value: object, depth: number, seen: Set<object> | undefined): void {
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date || value instanceof RegExp) return;
  if (depth > MAX_MESSAGE_DEPTH) throw TOO_DEEP;
  if (seen !== undefined) {
    if (seen.has(value)) throw SHARED;
    seen.add(value);
  }
  const next = depth + 1;
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === "object" && item !== null) walk(item, next, seen);
  } else if (value instanceof Map) {
    for (const [k, v] of value) {
      if (typeof k === "object" && k !== null) walk(k, next, seen);
      if (typeof v === "object" && v !== null) walk(v, next, seen);
    }
  } else if (value instanceof Set) {
    for (const item of value) if (typeof item === "object" && item !== null) walk(item, next, seen);
  } else {
    const record = value as Record<string, unknown>;
    if (Object.hasOwn(record, PROTO_KEY)) renameProto(record);
    for (const k of Object.keys(record)) {
      const item = record[k];
      if (typeof item === "object" && item !== null) walk(item, next, seen);
    }
  }
}

/**
 * JSON.parse keeps `__proto__` as an own key; anything that copies it by assignment would set a
 * prototype. The keys are put back in their order, so that the object is the one cbor-x makes.
 */
function renameProto(record: Record<string, unknown>): void {
  const entries = Object.entries(record);
  for (const [k] of entries) delete record[k];
  for (const [k, v] of entries) record[k === PROTO_KEY ? RENAMED_PROTO_KEY : k] = v;
}
