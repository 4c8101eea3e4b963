// Timeouts of one length begun in the same millisecond share a timer (base/timers.ts): each still
// fires on time, a cancelled one never fires, and one begun later does not join an earlier group.

import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { withTimeout } from "../../src/base/timers.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A promise that never settles unless `settle` is called, and what became of `withTimeout` on it. */
function guarded(ms: number) {
  let settle = (_value: string) => {};
  const outcome = { value: "pending" };
  withTimeout(new Promise<string>((resolve) => (settle = resolve)), ms, () => new Error("timed out")).then(
    (value) => {
      outcome.value = value;
    },
    (error: Error) => {
      outcome.value = error.message;
    },
  );
  return { outcome, settle: (value: string) => settle(value) };
}

test("timeouts begun together each fire at their length, and one settled in time is not failed", async () => {
  const [a, b, c] = [guarded(1_000), guarded(1_000), guarded(1_000)];
  b.settle("done");
  await vi.advanceTimersByTimeAsync(999);
  expect([a.outcome.value, b.outcome.value, c.outcome.value]).toEqual(["pending", "done", "pending"]);
  await vi.advanceTimersByTimeAsync(1);
  expect([a.outcome.value, c.outcome.value]).toEqual(["timed out", "timed out"]);
});

test("a timeout begun later fires its full length after it began, not with the earlier ones", async () => {
  const first = guarded(1_000);
  await vi.advanceTimersByTimeAsync(400);
  const later = guarded(1_000);
  await vi.advanceTimersByTimeAsync(600);
  expect([first.outcome.value, later.outcome.value]).toEqual(["timed out", "pending"]);
  await vi.advanceTimersByTimeAsync(399);
  expect(later.outcome.value).toBe("pending");
  await vi.advanceTimersByTimeAsync(1);
  expect(later.outcome.value).toBe("timed out");
});

test("when every timeout of a group settles in time, none fires, and new ones still time out", async () => {
  const group = [guarded(500), guarded(500)];
  for (const member of group) member.settle("done");
  await vi.advanceTimersByTimeAsync(0);
  // Begun in the same millisecond as the settled group: its timer was cancelled, so a new one is made.
  const next = guarded(500);
  await vi.advanceTimersByTimeAsync(500);
  expect([...group.map((member) => member.outcome.value), next.outcome.value]).toEqual(["done", "done", "timed out"]);
});

test("a frozen wall clock does not make a later timeout join an earlier group", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"], now: 0 });
  const first = guarded(1_000);
  await vi.advanceTimersByTimeAsync(400);
  // The wall clock reads as when the first began (a test that fakes only Date), the monotonic one moved on.
  vi.setSystemTime(0);
  const later = guarded(1_000);
  await vi.advanceTimersByTimeAsync(600);
  expect([first.outcome.value, later.outcome.value]).toEqual(["timed out", "pending"]);
  await vi.advanceTimersByTimeAsync(400);
  expect(later.outcome.value).toBe("timed out");
});
