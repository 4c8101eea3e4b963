// What changed between two versions of an actor's state, for the live stream: JSON Pointer paths
// with their old and new values, at most MAX_CHANGES of them. Objects, arrays and Maps with string
// keys are compared member by member; anything else that differs changes as a whole.

import { deepEqual } from "./deep-equal.ts";
import { boundedView, type Json } from "./json-view.ts";
import { formatPointer, isContainer } from "./json-pointer.ts";

export const MAX_CHANGES = 50;

export interface StateChange {
  path: string;
  op: "add" | "remove" | "replace";
  old?: Json;
  new?: Json;
}

export interface StateDiff {
  changes: StateChange[];
  truncated: boolean;
}

/** The changes from `before` to `after`; `known` is false when the old state is unknown (one add at the root). */
export function diffState(before: unknown, after: unknown, known: boolean): StateDiff {
  const diff: StateDiff = { changes: [], truncated: false };
  if (!known) diff.changes.push({ path: "", op: "add", new: boundedView(after) });
  else walk([], before, after, diff);
  return diff;
}

function push(diff: StateDiff, change: StateChange): boolean {
  if (diff.changes.length >= MAX_CHANGES) {
    diff.truncated = true;
    return false;
  }
  diff.changes.push(change);
  return true;
}

/** Keys of a container, as pointer segments; undefined for a Map with a key that is not a string. */
function keysOf(value: Record<string, unknown> | unknown[] | Map<unknown, unknown>): string[] | undefined {
  if (Array.isArray(value)) return Array.from(value, (_, i) => String(i));
  if (value instanceof Map) {
    const keys: string[] = [];
    for (const key of value.keys()) {
      if (typeof key !== "string") return undefined;
      keys.push(key);
    }
    return keys;
  }
  return Object.keys(value);
}

function member(value: Record<string, unknown> | unknown[] | Map<unknown, unknown>, key: string): unknown {
  if (value instanceof Map) return value.get(key);
  return (value as Record<string, unknown>)[key];
}

function sameKind(a: unknown, b: unknown): boolean {
  return Array.isArray(a) === Array.isArray(b) && a instanceof Map === b instanceof Map;
}

function walk(path: string[], a: unknown, b: unknown, diff: StateDiff): boolean {
  if (diff.truncated) return false;
  if (isContainer(a) && isContainer(b) && sameKind(a, b)) {
    const keysA = keysOf(a);
    const keysB = keysOf(b);
    if (keysA !== undefined && keysB !== undefined) {
      const inB = new Set(keysB);
      for (const key of keysA) {
        const at = [...path, key];
        if (!inB.has(key)) {
          if (!push(diff, { path: formatPointer(at), op: "remove", old: boundedView(member(a, key)) })) return false;
        } else if (!walk(at, member(a, key), member(b, key), diff)) return false;
      }
      const inA = new Set(keysA);
      for (const key of keysB) {
        if (!inA.has(key) && !push(diff, { path: formatPointer([...path, key]), op: "add", new: boundedView(member(b, key)) }))
          return false;
      }
      return true;
    }
  }
  if (deepEqual(a, b)) return true;
  return push(diff, { path: formatPointer(path), op: "replace", old: boundedView(a), new: boundedView(b) });
}
