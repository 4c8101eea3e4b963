// Which values may live in actor state: data that survives a CBOR round trip unchanged, within the
// rules for values (base/values.ts). A bad value is rejected at the mutation, naming its path.

import { ActorError } from "../base/errors.ts";
import { MAX_VALUE_DEPTH, PROTO_KEY } from "../base/values.ts";
import { unwrap } from "./raw.ts";

function describe(value: unknown): string | undefined {
  switch (typeof value) {
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    case "object": {
      if (value === null || Array.isArray(value)) return undefined;
      if (value instanceof Map || value instanceof Set || value instanceof Date || value instanceof RegExp) return undefined;
      if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return undefined;
      if (value instanceof Promise) return "a Promise";
      if (value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef) return `a ${value.constructor.name}`;
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) return undefined;
      return `an instance of ${proto?.constructor?.name ?? "a class"} (only plain objects, arrays, Map, Set, Date, RegExp, bigint and binary data can be stored)`;
    }
    default:
      return undefined;
  }
}

export function fail(path: string, what: string): never {
  throw new ActorError("actor", "state_not_serializable", `Value at ${path} is ${what} and cannot be stored in state.`, {
    metadata: { path },
  });
}

/** A `__proto__` key would not round-trip: decoders rename it (see base/values.ts). */
export const PROTO_KEY_REFUSED = "a `__proto__` key, which state cannot keep (use a Map for arbitrary keys)";

/**
 * Checks `value` for storage and returns it with every nested state proxy replaced by its plain
 * object (in place), so stored state never holds proxies. Throws `actor.state_not_serializable`
 * naming the first offending path. `depth` is the level `value` lands at in the state (1 for the
 * state itself): the whole state may nest at most MAX_VALUE_DEPTH levels.
 */
export function toStorable(value: unknown, path: string, seen: Set<object> = new Set(), depth = 1): unknown {
  const raw = unwrap(value);
  if (raw !== value) return raw; // already in state: validated when it was stored
  const what = describe(raw);
  if (what !== undefined) fail(path, what);
  if (typeof raw !== "object" || raw === null || ArrayBuffer.isView(raw) || raw instanceof ArrayBuffer) return raw;
  if (raw instanceof Date || raw instanceof RegExp) return raw;
  if (seen.has(raw)) fail(path, "a circular reference");
  if (depth > MAX_VALUE_DEPTH) fail(path, `nested deeper than ${MAX_VALUE_DEPTH} levels`);
  seen.add(raw);
  const next = depth + 1;
  if (raw instanceof Map) {
    for (const [k, v] of [...raw]) {
      const key = toStorable(k, `${path}<key>`, seen, next);
      const stored = toStorable(v, `${path}.get(${JSON.stringify(String(k))})`, seen, next);
      if (key !== k) raw.delete(k);
      if (key !== k || stored !== v) raw.set(key, stored);
    }
  } else if (raw instanceof Set) {
    for (const v of [...raw]) {
      const stored = toStorable(v, `${path}<member>`, seen, next);
      if (stored !== v) {
        raw.delete(v);
        raw.add(stored);
      }
    }
  } else if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) raw[i] = toStorable(raw[i], `${path}[${i}]`, seen, next);
  } else {
    const record = raw as Record<string, unknown>;
    if (Object.hasOwn(record, PROTO_KEY)) fail(`${path}.${PROTO_KEY}`, PROTO_KEY_REFUSED);
    for (const k of Object.keys(record)) {
      const stored = toStorable(record[k], `${path}.${k}`, seen, next);
      if (stored !== record[k]) record[k] = stored;
    }
  }
  seen.delete(raw);
  return raw;
}
