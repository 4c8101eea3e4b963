// An outage repeats one failure for every commit and every actor: the log gets its first line at
// once, then one summary line per window with the number of repeats, not one line per failure.

import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { REPEAT_WINDOW_MS, RepeatedLog } from "../../src/base/repeated-log.ts";
import { captureLog } from "./fixtures/log-capture.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test("identical messages: the first at once, then one line per window with their count; others apart", () => {
  const { logger, lines } = captureLog();
  const repeated = new RepeatedLog();
  const fail = (key: string) => repeated.write(logger, "error", key, { cause: key }, "storage commit failed");
  fail("disk full");
  for (let i = 0; i < 500; i++) fail("disk full");
  fail("locked");
  expect(lines.map((l) => [l.msg, l.cause])).toEqual([
    ["storage commit failed", "disk full"],
    ["storage commit failed", "locked"],
  ]);
  vi.advanceTimersByTime(REPEAT_WINDOW_MS);
  expect(lines.slice(2).map((l) => [l.msg, l.repeats])).toEqual([["storage commit failed (and 500 more like it)", 500]]);
  // The outage goes on: one more summary per window; a quiet window ends the run.
  fail("disk full");
  vi.advanceTimersByTime(REPEAT_WINDOW_MS);
  expect(lines.slice(3).map((l) => l.repeats)).toEqual([1]);
  vi.advanceTimersByTime(REPEAT_WINDOW_MS);
  fail("disk full");
  expect(lines.slice(4).map((l) => [l.msg, l.repeats])).toEqual([["storage commit failed", undefined]]);
  // A shutdown writes what is still being counted.
  fail("disk full");
  repeated.flush();
  expect(lines.slice(5).map((l) => l.repeats)).toEqual([1]);
});
