// JSON Patch (RFC 6902) applied to actor state: the operations come as JSON (their values in the
// inspector's JSON forms) and are applied to a copy, so a patch applies whole or not at all.

import { deepEqual } from "./deep-equal.ts";
import { inspectorErrors } from "./errors.ts";
import { fromJsonView } from "./json-view.ts";
import { arrayIndex, type Container, get, has, isContainer, parsePointer } from "./json-pointer.ts";

type Operation =
  | { op: "add" | "replace" | "test"; path: string[]; pointer: string; value: unknown }
  | { op: "remove"; path: string[]; pointer: string }
  | { op: "move" | "copy"; path: string[]; pointer: string; from: string[] };

const OPS = new Set(["add", "remove", "replace", "move", "copy", "test"]);

/** Checks a patch document sent to the inspector; throws `inspector.invalid_patch` naming the operation. */
export function parsePatch(body: unknown): Operation[] {
  if (!Array.isArray(body)) throw inspectorErrors.invalidRequest("body", "The body must be a JSON Patch: an array of operations.");
  return body.map((raw, index) => {
    const fail = (message: string) => inspectorErrors.invalidPatch(index, message);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw fail("an operation must be an object.");
    const { op, path, from } = raw as Record<string, unknown>;
    if (typeof op !== "string" || !OPS.has(op)) throw fail(`"op" must be one of ${[...OPS].join(", ")}.`);
    if (typeof path !== "string") throw fail('"path" must be a string.');
    const segments = parsePointer(path);
    if (segments === undefined) throw fail(`"path" ${JSON.stringify(path)} is not a JSON Pointer.`);
    if (op === "move" || op === "copy") {
      const source = typeof from === "string" ? parsePointer(from) : undefined;
      if (source === undefined) throw fail('"from" must be a JSON Pointer.');
      if (op === "move" && source.length < segments.length && source.every((s, i) => segments[i] === s)) {
        throw fail('"path" is inside "from": a value cannot move into itself.');
      }
      return { op, path: segments, pointer: path, from: source };
    }
    if (op === "remove") return { op, path: segments, pointer: path };
    if (!Object.hasOwn(raw, "value")) throw fail(`"${op}" needs a "value".`);
    return {
      op: op as "add" | "replace" | "test",
      path: segments,
      pointer: path,
      value: fromJsonView((raw as { value: unknown }).value, `[${index}].value`),
    };
  });
}

/**
 * `document` with `patch` applied; `document` itself is left unchanged. A failed `test` is
 * `inspector.patch_conflict`, an operation that cannot apply `inspector.invalid_patch`.
 */
export function applyPatch(document: unknown, patch: readonly Operation[]): unknown {
  let root = structuredClone(document);
  patch.forEach((operation, index) => {
    const fail = (message: string) => inspectorErrors.invalidPatch(index, message);
    const read = (path: string[]): unknown => {
      let at: unknown = root;
      for (const [depth, segment] of path.entries()) {
        if (!isContainer(at) || !has(at, segment)) throw fail(`nothing at "/${path.slice(0, depth + 1).join("/")}".`);
        at = get(at, segment);
      }
      return at;
    };
    const parentOf = (path: string[]): Container => {
      const parent = read(path.slice(0, -1));
      if (!isContainer(parent)) throw fail(`"${operation.pointer}" goes into a value that is not an object, array or Map.`);
      return parent;
    };
    const remove = (path: string[]): unknown => {
      if (path.length === 0) throw fail("the whole state cannot be removed.");
      const parent = parentOf(path);
      const segment = path[path.length - 1] as string;
      if (!has(parent, segment)) throw fail(`nothing at "${operation.pointer}".`);
      const value = get(parent, segment);
      if (Array.isArray(parent)) parent.splice(arrayIndex(segment) as number, 1);
      else if (parent instanceof Map) parent.delete(segment);
      else delete parent[segment];
      return value;
    };
    const add = (path: string[], value: unknown, replace: boolean): void => {
      if (path.length === 0) {
        root = value;
        return;
      }
      const parent = parentOf(path);
      const segment = path[path.length - 1] as string;
      if (replace && !has(parent, segment)) throw fail(`nothing at "${operation.pointer}" to replace.`);
      if (Array.isArray(parent)) {
        const index = segment === "-" && !replace ? parent.length : arrayIndex(segment);
        if (index === undefined || index > parent.length || (replace && index === parent.length)) {
          throw fail(`"${segment}" is not an index of an array of ${parent.length}.`);
        }
        parent.splice(index, replace ? 1 : 0, value);
      } else if (parent instanceof Map) parent.set(segment, value);
      else parent[segment] = value;
    };
    switch (operation.op) {
      case "add":
        add(operation.path, operation.value, false);
        break;
      case "replace":
        add(operation.path, operation.value, true);
        break;
      case "remove":
        remove(operation.path);
        break;
      case "move": {
        const value = remove(operation.from);
        add(operation.path, value, false);
        break;
      }
      case "copy":
        add(operation.path, structuredClone(read(operation.from)), false);
        break;
      case "test": {
        // A value that is gone no longer matches either: a conflict, like one that changed.
        let current: unknown;
        try {
          current = read(operation.path);
        } catch {
          throw inspectorErrors.patchConflict(index, operation.pointer);
        }
        if (!deepEqual(current, operation.value)) throw inspectorErrors.patchConflict(index, operation.pointer);
        break;
      }
    }
  });
  return root;
}
