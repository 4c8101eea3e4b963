import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { type WorkflowErrorEvent, workflow } from "troupe/workflow";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { entryStatus, history, untilStatus } from "./helpers.ts";
import { until } from "../support/until.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Attempts of the flaky step, with the fake time each began at (module-level: survives restarts). */
let attempts: number[] = [];
let failUntil = 3;

type Events = { events: WorkflowErrorEvent[] };
const flaky = actor({
  state: { events: [] as WorkflowErrorEvent[], result: "" },
  run: workflow<Events & { result: string }, undefined>(
    async (ctx) => {
      const result = await ctx.step({
        name: "flaky",
        maxRetries: 2,
        retryBackoffBase: 1_000,
        run: (c) => {
          attempts.push(Date.now());
          if (c.attempt < failUntil) throw new Error(`attempt ${c.attempt} failed`);
          return `ok on attempt ${c.attempt}`;
        },
      });
      await ctx.step("save", () => {
        ctx.state.result = result;
      });
    },
    {
      onError: (c, event) => {
        // Stacks differ from run to run; the rest of the event is compared whole.
        const { stack: _, ...error } =
          "step" in event ? event.step.error : "workflow" in event ? event.workflow.error : event.rollback.error;
        c.state.events.push(
          "step" in event ? { step: { ...event.step, error } } : "workflow" in event ? { workflow: { ...event.workflow, error } } : event,
        );
      },
    },
  ),
  actions: { state: (c) => c.state },
  options: { sleepTimeout: 5_000 },
});
const registry = setup({ use: { flaky } });

test("a failing step is retried with exponential backoff, each failure reported once to onError", async () => {
  attempts = [];
  failUntil = 3;
  const t = setupTest(registry);
  const h = t.client.flaky.getOrCreate(["a"]);
  const id = await h.resolve();
  const start = Date.now();
  await until("first failure recorded", async () => (await entryStatus(t.host.driver, id, "flaky")) === "retrying");
  expect(attempts.length).toBe(1);
  await vi.advanceTimersByTimeAsync(999);
  expect(attempts.length).toBe(1);
  await vi.advanceTimersByTimeAsync(1);
  await until("second attempt", () => attempts.length === 2);
  await vi.advanceTimersByTimeAsync(2_000);
  await untilStatus(t.host.driver, id, "completed");
  expect(attempts.map((at) => at - start)).toEqual([0, 1_000, 3_000]);
  const state = await h.state();
  expect(state.result).toBe("ok on attempt 3");
  expect(state.events).toEqual([
    {
      step: {
        workflowId: id,
        stepName: "flaky",
        attempt: 1,
        maxRetries: 2,
        remainingRetries: 1,
        willRetry: true,
        retryDelay: 1_000,
        retryAt: start + 1_000,
        error: { name: "Error", message: "attempt 1 failed" },
      },
    },
    {
      step: {
        workflowId: id,
        stepName: "flaky",
        attempt: 2,
        maxRetries: 2,
        remainingRetries: 0,
        willRetry: true,
        retryDelay: 2_000,
        retryAt: start + 3_000,
        error: { name: "Error", message: "attempt 2 failed" },
      },
    },
  ]);
  expect((await history(t.host.driver, id)).entries[0]).toMatchObject({ name: "flaky", status: "completed", attempts: 3, failures: 2 });
});

test("the backoff is durable: the actor sleeps through it, across a restart, and its alarm wakes it to retry", async () => {
  attempts = [];
  failUntil = 2;
  const t = setupTest(registry);
  const h = t.client.flaky.getOrCreate(["b"]);
  const id = await h.resolve();
  await until("first failure recorded", async () => (await entryStatus(t.host.driver, id, "flaky")) === "retrying");
  await t.sleep(id);
  await t.restart();
  expect(t.host.instances.has(id)).toBe(false);
  await vi.advanceTimersByTimeAsync(1_000);
  await untilStatus(t.host.driver, id, "completed");
  expect(attempts.length).toBe(2);
  expect((await h.state()).events.map((e) => ("step" in e ? e.step.attempt : 0))).toEqual([1]);
});

test("a step that uses up its retries fails the workflow; the actor then idles to sleep", async () => {
  attempts = [];
  failUntil = 99;
  const t = setupTest(registry);
  const h = t.client.flaky.getOrCreate(["c"]);
  const id = await h.resolve();
  await vi.advanceTimersByTimeAsync(3_000);
  const failed = await untilStatus(t.host.driver, id, "failed");
  expect(attempts.length).toBe(3);
  expect(failed.workflow.error).toMatchObject({
    group: "workflow",
    code: "step_failed",
    message: 'Step "flaky" failed after 3 attempts: attempt 3 failed',
  });
  expect(failed.entries[0]).toMatchObject({ status: "failed", failure: "exhausted", attempts: 3, failures: 3 });
  const events = (await h.state()).events;
  expect(events.map((e) => Object.keys(e)[0])).toEqual(["step", "step", "step", "workflow"]);
  expect(events[2]).toMatchObject({ step: { attempt: 3, willRetry: false, remainingRetries: 0 } });
  expect(events[3]).toMatchObject({
    workflow: { workflowId: id, error: { message: 'Step "flaky" failed after 3 attempts: attempt 3 failed' } },
  });
  // Still awake until idle, then asleep; a wake does not run the failed workflow again.
  expect(t.host.instances.has(id)).toBe(true);
  await vi.advanceTimersByTimeAsync(5_000);
  await until("asleep", () => !t.host.instances.has(id));
  await h.state();
  expect(attempts.length).toBe(3);
});

const slow = actor({
  state: { outcome: "" },
  run: workflow(async (ctx) => {
    const first = await ctx.tryStep({
      name: "hang",
      timeout: 500,
      run: (c) => new Promise((_, reject) => c.abortSignal.addEventListener("abort", () => reject(new Error("aborted")))),
    });
    let tries = 0;
    const second = await ctx.tryStep({
      name: "hang-and-retry",
      timeout: 500,
      retryOnTimeout: true,
      maxRetries: 1,
      retryBackoffBase: 10,
      run: () => {
        tries++;
        return new Promise(() => {});
      },
    });
    await ctx.step("save", () => {
      ctx.state.outcome = JSON.stringify([first.ok || first.failure.kind, second.ok || second.failure.kind, tries]);
    });
  }),
  actions: { outcome: (c) => c.state.outcome },
});

test("a step that runs past its timeout fails at once (its signal aborts), unless retryOnTimeout", async () => {
  const t = setupTest(setup({ use: { slow } }));
  const h = t.client.slow.getOrCreate(["s"]);
  const id = await h.resolve();
  await vi.advanceTimersByTimeAsync(500);
  await until("first step failed", async () => (await entryStatus(t.host.driver, id, "hang")) === "failed");
  await vi.advanceTimersByTimeAsync(500);
  await until("second step retrying", async () => (await entryStatus(t.host.driver, id, "hang-and-retry")) === "retrying");
  await vi.advanceTimersByTimeAsync(10);
  await vi.advanceTimersByTimeAsync(500);
  await untilStatus(t.host.driver, id, "completed");
  expect(JSON.parse(await h.outcome())).toEqual(["timeout", "exhausted", 2]);
});
