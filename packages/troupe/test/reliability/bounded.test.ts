// forEachBounded (base/bounded.ts), which a shutdown stops its actors with: every item runs once,
// never more than the limit at a time, and a failure reaches the caller.

import { expect, test } from "vitest";
import { forEachBounded } from "../../src/base/bounded.ts";

test("runs every item once, at most `limit` at a time", async () => {
  let running = 0;
  let most = 0;
  const seen: number[] = [];
  await forEachBounded(
    Array.from({ length: 100 }, (_, i) => i),
    7,
    async (i) => {
      running++;
      most = Math.max(most, running);
      await Promise.resolve();
      seen.push(i);
      running--;
    },
  );
  expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  expect(most).toBe(7);
});

test("a failing item rejects the whole run", async () => {
  await expect(forEachBounded([1, 2, 3], 2, async (i) => (i === 2 ? Promise.reject(new Error("two")) : undefined))).rejects.toThrow("two");
});
