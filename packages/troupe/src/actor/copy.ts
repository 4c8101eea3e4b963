// Values crossing an actor's boundary in-process are copied, as they would be by the wire:
// a caller can never hold a live reference into an actor's state, nor the actor into the caller's.
// The copy enforces the rules for values (base/values.ts) as the wire does: no cycles, at most
// MAX_VALUE_DEPTH levels, a `__proto__` key renamed; a reference met twice is copied twice.

import { MAX_VALUE_DEPTH, PROTO_KEY, RENAMED_PROTO_KEY, unsupportedValue } from "../base/values.ts";
import { unwrap } from "./raw.ts";

/** A copy of `value`; throws `message.unsupported_value` for a cyclic or too deeply nested one. */
export function copyValue<T>(value: T): T {
  if (typeof value !== "object" || value === null) return dropUnsendable(value) as T;
  const raw = unwrap(value);
  try {
    return copy(raw, new Set(), 1) as T;
  } catch (error) {
    if (error === TOO_DEEP) throw unsupportedValue("too_deep", raw);
    if (error === CYCLIC) throw unsupportedValue("cyclic", raw);
    throw error;
  }
}

/** Each argument copied on its own, so that each may nest as deep as any value. */
export function copyArgs(args: readonly unknown[]): unknown[] {
  return args.map(copyValue);
}

// Thrown from deep inside the copy and turned into an error naming the path once, at the top.
const TOO_DEEP = Symbol("too deep");
const CYCLIC = Symbol("cyclic");

/** Functions and symbols do not travel: they become undefined, as over the wire. */
function dropUnsendable(value: unknown): unknown {
  return typeof value === "function" || typeof value === "symbol" ? undefined : value;
}

function copy(value: unknown, ancestors: Set<object>, depth: number): unknown {
  if (typeof value !== "object" || value === null) return dropUnsendable(value);
  const raw = unwrap(value);
  if (raw instanceof Date) return new Date(raw.getTime());
  if (raw instanceof RegExp) return new RegExp(raw.source, raw.flags);
  if (raw instanceof ArrayBuffer) return raw.slice(0);
  if (ArrayBuffer.isView(raw)) return structuredClone(raw);
  if (depth > MAX_VALUE_DEPTH) throw TOO_DEEP;
  if (ancestors.has(raw)) throw CYCLIC;
  ancestors.add(raw);
  const next = depth + 1;
  let out: unknown;
  if (raw instanceof Map) {
    const map = new Map();
    for (const [k, v] of raw) map.set(copy(k, ancestors, next), copy(v, ancestors, next));
    out = map;
  } else if (raw instanceof Set) {
    const set = new Set();
    for (const v of raw) set.add(copy(v, ancestors, next));
    out = set;
  } else if (Array.isArray(raw)) {
    const array: unknown[] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) array[i] = copy(raw[i], ancestors, next);
    out = array;
  } else {
    const record: Record<string, unknown> = {};
    for (const k of Object.keys(raw)) {
      // Assigning `__proto__` would set the copy's prototype instead of a key.
      record[k === PROTO_KEY ? RENAMED_PROTO_KEY : k] = copy((raw as Record<string, unknown>)[k], ancestors, next);
    }
    out = record;
  }
  ancestors.delete(raw);
  return out;
}
