// The rules for values that cross an actor's boundary (arguments, results, events, inputs, params,
// queue messages) or live in its state, shared by the codecs, the copies and the state checks.
// docs/values.md states them for users.

import { ActorError } from "./errors.ts";

/** Levels of nesting a value may have: `1` has none, `[1]` one, `[[1]]` two. */
export const MAX_VALUE_DEPTH = 128;

/**
 * The key JavaScript cannot hold as a plain data property without a prototype changing on the way:
 * values arriving with it have it renamed to {@link RENAMED_PROTO_KEY}, as cbor-x does when it decodes.
 */
export const PROTO_KEY = "__proto__";
export const RENAMED_PROTO_KEY = "__proto_";

export type ValueProblem = "too_deep" | "cyclic" | "shared" | "bigint";

function why(problem: ValueProblem, depthLimit: number): string {
  switch (problem) {
    case "too_deep":
      return `nests deeper than ${depthLimit} levels`;
    case "cyclic":
      return "contains itself (a cycle)";
    case "shared":
      return "refers to one object twice (a shared or cyclic reference, which only CBOR tags 28/29 can encode)";
    case "bigint":
      return "is a bigint, which JSON cannot carry (use the CBOR encoding, or send it as a string)";
  }
}

/** `message.unsupported_value`, naming where in `root` the problem is (see `locate`). */
export function unsupportedValue(problem: ValueProblem, root: unknown, what = "value", depthLimit = MAX_VALUE_DEPTH): ActorError {
  const path = `${what}${locate(root, problem, depthLimit) ?? ""}`;
  return new ActorError("message", "unsupported_value", `The ${path} ${why(problem, depthLimit)}; see docs/values.md.`, {
    metadata: { path, problem },
  });
}

/** The children of a container the rules walk into, each with the step of a path that leads to it. */
function children(value: object): Iterable<[string, unknown]> {
  if (Array.isArray(value)) return value.map((v, i): [string, unknown] => [`[${i}]`, v]);
  if (value instanceof Map) return [...value].map(([k, v]): [string, unknown] => [`.get(${JSON.stringify(String(k))})`, v]);
  if (value instanceof Set) return [...value].map((v, i): [string, unknown] => [`<member ${i}>`, v]);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date || value instanceof RegExp) return [];
  return Object.keys(value).map((k): [string, unknown] => [`.${k}`, (value as Record<string, unknown>)[k]]);
}

/**
 * The path (`.a[2]`, "" for the value itself) to the first place in `value` with `problem`, or
 * undefined when none is found. Only for error messages: it walks the value again, so that the
 * walks that check values stay lean. Each object is entered once, so a value made of shared
 * references costs its size, not the size it would have once copied.
 */
export function locate(value: unknown, problem: ValueProblem, depthLimit = MAX_VALUE_DEPTH): string | undefined {
  const ancestors = new Set<object>();
  const visited = new Set<object>();
  const find = (v: unknown, depth: number): string | undefined => {
    if (problem === "bigint" && typeof v === "bigint") return "";
    if (typeof v !== "object" || v === null) return undefined;
    if (problem === "too_deep" && depth > depthLimit) return "";
    if (ancestors.has(v)) return problem === "cyclic" || problem === "shared" ? "" : undefined;
    if (visited.has(v)) return problem === "shared" ? "" : undefined;
    // Past the limit the value is too deep anyway: looking further could exhaust the stack.
    if (depth > depthLimit) return undefined;
    ancestors.add(v);
    visited.add(v);
    for (const [step, child] of children(v)) {
      const rest = find(child, depth + 1);
      if (rest !== undefined) return step + rest;
    }
    ancestors.delete(v);
    return undefined;
  };
  return find(value, 1);
}
