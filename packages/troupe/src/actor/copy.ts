// Values crossing an actor's boundary in-process are copied, as they would be by the wire:
// a caller can never hold a live reference into an actor's state, nor the actor into the caller's.

import { unwrap } from "./raw.ts";

export function copyValue<T>(value: T): T {
  return copy(unwrap(value), new Map()) as T;
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value === "function") return undefined;
  if (typeof value !== "object" || value === null) return value;
  const raw = unwrap(value);
  const done = seen.get(raw);
  if (done !== undefined) return done;
  if (raw instanceof Date) return new Date(raw.getTime());
  if (raw instanceof RegExp) return new RegExp(raw.source, raw.flags);
  if (raw instanceof ArrayBuffer) return raw.slice(0);
  if (ArrayBuffer.isView(raw)) return structuredClone(raw);
  if (raw instanceof Map) {
    const out = new Map();
    seen.set(raw, out);
    for (const [k, v] of raw) out.set(copy(k, seen), copy(v, seen));
    return out;
  }
  if (raw instanceof Set) {
    const out = new Set();
    seen.set(raw, out);
    for (const v of raw) out.add(copy(v, seen));
    return out;
  }
  if (Array.isArray(raw)) {
    const out: unknown[] = new Array(raw.length);
    seen.set(raw, out);
    for (let i = 0; i < raw.length; i++) out[i] = copy(raw[i], seen);
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(raw, out);
  for (const k of Object.keys(raw)) out[k] = copy((raw as Record<string, unknown>)[k], seen);
  return out;
}
