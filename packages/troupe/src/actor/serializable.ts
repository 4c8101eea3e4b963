// Which values may live in actor state: data that survives a CBOR round trip unchanged.
// A bad value is rejected at the mutation, with an error naming its path.

import { ActorError } from "../errors.ts";

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

function fail(path: string, what: string): never {
  throw new ActorError("actor", "state_not_serializable", `Value at ${path} is ${what} and cannot be stored in state.`, {
    metadata: { path },
  });
}

/** Throws `actor.state_not_serializable` naming the first offending path inside `value`. */
export function assertSerializable(value: unknown, path: string, seen: Set<object> = new Set()): void {
  const what = describe(value);
  if (what !== undefined) fail(path, what);
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
  if (value instanceof Date || value instanceof RegExp) return;
  if (seen.has(value)) fail(path, "a circular reference");
  seen.add(value);
  if (value instanceof Map) {
    for (const [k, v] of value) {
      assertSerializable(k, `${path}<key>`, seen);
      assertSerializable(v, `${path}.get(${JSON.stringify(String(k))})`, seen);
    }
  } else if (value instanceof Set) {
    for (const v of value) assertSerializable(v, `${path}<member>`, seen);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) assertSerializable(value[i], `${path}[${i}]`, seen);
  } else {
    for (const k of Object.keys(value)) assertSerializable((value as Record<string, unknown>)[k], `${path}.${k}`, seen);
  }
  seen.delete(value);
}
