// The in-process size check: a message is encoded only when a walk cannot prove it fits, so the
// walk's bound must never be below the real CBOR size. Checked on generated values at the exact
// edge: one byte under the encoded size is refused with that size, the size itself fits.

import fc from "fast-check";
import { expect, test } from "vitest";
import { encodeCbor } from "../../src/base/cbor.ts";
import { sizeOver } from "../../src/runtime/message-size.ts";

const leaf = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: "binary", minLength: 50, maxLength: 300 }), // past the headers' slack
  fc.double(),
  fc.integer(),
  fc.bigInt(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
  fc.uint8Array(),
);
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object"), tie("map"), tie("set")),
  array: fc.array(tie("value"), { maxLength: 5 }),
  object: fc.dictionary(fc.string({ unit: "binary" }), tie("value"), { maxKeys: 5 }),
  map: fc.array(fc.tuple(fc.string(), tie("value")), { maxLength: 4 }).map((entries) => new Map(entries)),
  set: fc.array(tie("value"), { maxLength: 4 }).map((items) => new Set(items)),
})).value;

test("a message is refused with its CBOR size exactly when that size is over the limit", () => {
  fc.assert(
    fc.property(fc.array(value, { maxLength: 4 }), (args) => {
      const size = encodeCbor(args).byteLength;
      expect(sizeOver(args, size - 1)).toBe(size);
      expect(sizeOver(args, size)).toBeUndefined();
    }),
    { numRuns: 500 },
  );
});

test("a cyclic value is refused as the copy refuses it; functions count as nothing", () => {
  const cyclic: Record<string, unknown> = { text: "x".repeat(100) };
  cyclic.self = cyclic;
  expect(() => sizeOver([cyclic], 50)).toThrow(expect.objectContaining({ group: "message", code: "unsupported_value" }));
  expect(sizeOver([() => 1, "x".repeat(100)], 50)).toBe(encodeCbor([undefined, "x".repeat(100)]).byteLength);
});
