// The inspector's JSON forms of actor data, JSON Patch and state diffs, on their own.

import { expect, test } from "vitest";
import { applyPatch, parsePatch } from "../../src/inspector/json-patch.ts";
import { boundedView, fromJsonView, toJsonView } from "../../src/inspector/json-view.ts";
import { diffState, MAX_CHANGES } from "../../src/inspector/state-diff.ts";

test("every storable value survives its JSON form", () => {
  const value = {
    text: "hi",
    n: 1.5,
    nan: Number.NaN,
    inf: Number.NEGATIVE_INFINITY,
    negZero: -0,
    big: 12345678901234567890n,
    missing: undefined,
    list: [1, undefined, null],
    date: new Date(1_000),
    re: /a+b/gi,
    bytes: new Uint8Array([0, 255]),
    floats: new Float64Array([1.5]),
    map: new Map<unknown, unknown>([
      ["k", new Set([1])],
      [1, "one"],
    ]),
    tagged: { $troupe: "mine" },
    nested: { deep: { deeper: [new Map()] } },
  };
  const json = JSON.parse(JSON.stringify(toJsonView(value)));
  expect(json.nan).toEqual({ $troupe: "number", value: "NaN" });
  expect(json.negZero).toEqual({ $troupe: "number", value: "-0" });
  expect(json.big).toEqual({ $troupe: "bigint", value: "12345678901234567890" });
  expect(json.missing).toEqual({ $troupe: "undefined" });
  expect(json.bytes).toEqual({ $troupe: "bytes", base64: "AP8=" });
  expect(json.floats).toEqual({ $troupe: "bytes", base64: "AAAAAAAA+D8=", type: "Float64Array" });
  expect(json.tagged).toEqual({ $troupe: "object", value: { $troupe: "mine" } });
  expect(fromJsonView(json, "value")).toEqual(value);
  const invalid = toJsonView(new Date(Number.NaN));
  expect(invalid).toEqual({ $troupe: "date", iso: "Invalid Date" });
  expect((fromJsonView(invalid, "v") as Date).getTime()).toBeNaN();
});

test("values that cannot be stored show what they are; cycles do not loop", () => {
  class Point {}
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  expect(toJsonView({ f: () => 1, p: new Point(), s: Symbol("x") })).toEqual({
    f: { $troupe: "unsupported", type: "function" },
    p: { $troupe: "unsupported", type: "Point" },
    s: { $troupe: "unsupported", type: "symbol" },
  });
  expect(toJsonView(cyclic)).toEqual({ a: 1, self: { $troupe: "circular" } });
  const shared = { x: 1 };
  expect(toJsonView([shared, shared])).toEqual([{ x: 1 }, { x: 1 }]);
});

test("malformed tagged values are refused, naming where", () => {
  for (const [json, where] of [
    [{ a: { $troupe: "nope" } }, "v.a"],
    [{ $troupe: "map", entries: [[1]] }, "v"],
    [[{ $troupe: "bigint", value: "1.5" }], "v[0]"],
    [{ $troupe: "bytes", base64: "AAA=", type: "Float64Array" }, "v"],
    [{ $troupe: "number", value: "7" }, "v"],
  ] as const) {
    expect(() => fromJsonView(json, "v"), JSON.stringify(json)).toThrow(
      expect.objectContaining({ code: "invalid_request", metadata: { param: where } }),
    );
  }
});

test("stream values are bounded", () => {
  expect(boundedView("short")).toBe("short");
  const long = boundedView({ text: "x".repeat(9_000) });
  expect(long).toEqual({ $troupe: "truncated", size: 9_011, preview: expect.stringMatching(/^\{"text":"x+$/) });
  expect((long as { preview: string }).preview).toHaveLength(256);
});

test("JSON Patch applies to a copy, into objects, arrays and Maps", () => {
  const state = { a: { b: 1 }, list: [1, 2, 3], map: new Map([["k", { v: 1 }]]) };
  const next = applyPatch(
    state,
    parsePatch([
      { op: "replace", path: "/a/b", value: 2 },
      { op: "add", path: "/list/1", value: 9 },
      { op: "remove", path: "/list/0" },
      { op: "replace", path: "/map/k/v", value: 2 },
      { op: "add", path: "/map/new", value: { $troupe: "date", iso: "1970-01-01T00:00:00.000Z" } },
      { op: "test", path: "/map/new", value: { $troupe: "date", iso: "1970-01-01T00:00:00.000Z" } },
      { op: "move", from: "/a", path: "/moved" },
      { op: "copy", from: "/moved", path: "/copied" },
    ]),
  );
  expect(next).toEqual({
    list: [9, 2, 3],
    map: new Map<string, unknown>([
      ["k", { v: 2 }],
      ["new", new Date(0)],
    ]),
    moved: { b: 2 },
    copied: { b: 2 },
  });
  expect(state).toEqual({ a: { b: 1 }, list: [1, 2, 3], map: new Map([["k", { v: 1 }]]) });
  expect(applyPatch(state, parsePatch([{ op: "replace", path: "", value: 5 }]))).toBe(5);
  expect(() => applyPatch(state, parsePatch([{ op: "test", path: "/gone", value: 1 }]))).toThrow(
    expect.objectContaining({ code: "patch_conflict" }),
  );
  expect(() => applyPatch(state, parsePatch([{ op: "add", path: "/a/b/c", value: 1 }]))).toThrow(
    expect.objectContaining({ code: "invalid_patch" }),
  );
});

test("state diffs: member by member, with a limit", () => {
  expect(diffState({ a: 1, b: [1, 2], m: new Map([["k", 1]]) }, { a: 2, b: [1], m: new Map([["k", 1]]), c: true }, true)).toEqual({
    changes: [
      { path: "/a", op: "replace", old: 1, new: 2 },
      { path: "/b/1", op: "remove", old: 2 },
      { path: "/c", op: "add", new: true },
    ],
    truncated: false,
  });
  expect(diffState(undefined, { a: 1 }, false)).toEqual({ changes: [{ path: "", op: "add", new: { a: 1 } }], truncated: false });
  expect(diffState(1, "1", true).changes).toEqual([{ path: "", op: "replace", old: 1, new: "1" }]);
  const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, i]));
  const diff = diffState({}, many, true);
  expect(diff.changes).toHaveLength(MAX_CHANGES);
  expect(diff.truncated).toBe(true);
});
