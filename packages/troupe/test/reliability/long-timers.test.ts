// Waits longer than Node's 32-bit timer limit (2^31 - 1 ms, about 24.8 days): a timer past it fires
// after 1 ms instead, which made the alarm clock spin and long timeouts fire at once. The fake clock
// keeps Node's overflow, so each of these fails without the re-arming in base/timers.ts.

import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { workflow } from "troupe/workflow";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { MAX_TIMER_MS, unrefTimeout } from "../../src/base/timers.ts";
import { until } from "../support/until.ts";

const DAY = 24 * 60 * 60 * 1000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

test("a timer past the 32-bit limit fires once, on time", () => {
  let fired = 0;
  unrefTimeout(() => fired++, 40 * DAY);
  vi.advanceTimersByTime(MAX_TIMER_MS + 1);
  expect(fired).toBe(0);
  vi.advanceTimersByTime(40 * DAY - MAX_TIMER_MS - 2);
  expect(fired).toBe(0);
  vi.advanceTimersByTime(1);
  expect(fired).toBe(1);
  vi.advanceTimersByTime(100 * DAY);
  expect(fired).toBe(1);
});

test("a cancelled long timer never fires, whichever of its parts is pending", () => {
  let fired = 0;
  const timer = unrefTimeout(() => fired++, 60 * DAY);
  vi.advanceTimersByTime(30 * DAY);
  timer.cancel();
  vi.advanceTimersByTime(60 * DAY);
  expect(fired).toBe(0);
});

const planner = actor({
  state: { fired: [] as string[] },
  actions: {
    plan: (c, ms: number) => c.schedule.after(ms, "record", "late"),
    record: (c, what: string) => {
      c.state.fired.push(what);
    },
    fired: (c) => c.state.fired,
    wait: async (_c, ms: number) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return "done";
    },
    receive: async (c, timeout: number) => (await c.queue.next({ timeout }))?.body ?? "timed out",
  },
  options: { actionTimeout: 30 * DAY, sleepTimeout: 60 * DAY },
});

test("a schedule 30 days ahead neither spins the alarm clock nor fires early, and fires on time", async () => {
  const t = setupTest(setup({ use: { planner } }));
  const h = t.client.planner.getOrCreate("p");
  await h.resolve();
  const dueAlarms = vi.spyOn(t.host.driver, "dueAlarms");
  await h.plan(30 * DAY);
  await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 1_000);
  expect(await h.fired()).toEqual([]);
  // A spinning clock would have looked for due alarms every millisecond.
  expect(dueAlarms.mock.calls.length).toBeLessThan(3);
  await vi.advanceTimersByTimeAsync(30 * DAY - MAX_TIMER_MS);
  await until("the schedule fired", async () => (await h.fired()).length === 1);
  expect(await h.fired()).toEqual(["late"]);
});

test("an actionTimeout of 30 days does not end a 1-day action, and a 30-day queue wait does not end at once", async () => {
  const t = setupTest(setup({ use: { planner } }));
  const h = t.client.planner.getOrCreate("p");
  await h.resolve();
  const action = h.wait(DAY);
  const receive = h.receive(30 * DAY);
  let received: unknown;
  void receive.then((value) => (received = value));
  await vi.advanceTimersByTimeAsync(DAY);
  expect(await action).toBe("done");
  await vi.advanceTimersByTimeAsync(2 * DAY);
  expect(received).toBeUndefined();
  await h.send("default", "hello");
  expect(await receive).toBe("hello");
});

const sleeper = actor({
  state: { woke: false },
  run: workflow(async (ctx) => {
    await ctx.sleep("month", 30 * DAY);
    await ctx.step("wake", () => {
      ctx.state.woke = true;
    });
  }),
  actions: { woke: (c) => c.state.woke },
});

test("a workflow sleeping 30 days wakes after 30 days, not before", async () => {
  const t = setupTest(setup({ use: { sleeper } }));
  const h = t.client.sleeper.getOrCreate("s");
  await h.resolve();
  await vi.advanceTimersByTimeAsync(29 * DAY);
  expect(await h.woke()).toBe(false);
  await vi.advanceTimersByTimeAsync(DAY);
  await until("the workflow woke", () => h.woke());
});
