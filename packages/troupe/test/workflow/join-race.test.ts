import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { CriticalError, workflow } from "troupe/workflow";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { entryStatus, statuses, untilStatus } from "./helpers.ts";
import { until } from "../support/until.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const runs: string[] = [];

const parallel = actor({
  state: { out: null as unknown },
  run: workflow(async (ctx) => {
    const out = await ctx.join("parallel", {
      slow: async (ctx) => {
        const a = await ctx.step("first", () => {
          runs.push("slow.first");
          return "a";
        });
        await ctx.sleep("wait", 1_000);
        return `${a}${await ctx.step("second", () => "b")}`;
      },
      fast: {
        run: async (ctx) =>
          ctx.step("only", () => {
            runs.push("fast.only");
            return 7;
          }),
      },
    });
    let failure = "";
    try {
      await ctx.join("broken", {
        ok: async (ctx) =>
          ctx.step("fine", () => {
            runs.push("broken.ok");
            return 1;
          }),
        bad: async (ctx) =>
          ctx.step("boom", () => {
            throw new CriticalError("boom");
          }),
      });
    } catch (error) {
      failure = (error as Error).message;
    }
    await ctx.step("save", () => {
      ctx.state.out = { out, failure };
    });
  }),
  actions: { out: (c) => c.state.out },
});

test("join runs branches concurrently, resumes them after a restart, and fails when any branch fails", async () => {
  runs.length = 0;
  const t = setupTest(setup({ use: { parallel } }));
  const h = t.client.parallel.getOrCreate(["j"]);
  const id = await h.resolve();
  await until("slow branch sleeping", async () => (await entryStatus(t.host.driver, id, "parallel/slow/wait")) === "waiting");
  await until("fast branch done", async () => (await entryStatus(t.host.driver, id, "parallel/fast/only")) === "completed");
  await t.restart();
  await vi.advanceTimersByTimeAsync(1_000);
  const done = await untilStatus(t.host.driver, id, "completed");
  expect(await h.out()).toEqual({ out: { slow: "ab", fast: 7 }, failure: 'Join "broken" failed: branch "bad": Step "boom" failed: boom' });
  expect(runs.sort()).toEqual(["broken.ok", "fast.only", "slow.first"]);
  expect(statuses(done)).toMatchObject({
    parallel: "completed",
    broken: "failed",
    "broken/ok/fine": "completed",
    "broken/bad/boom": "failed",
  });
  expect(done.entries.find((e) => e.name === "broken")?.error).toMatchObject({ code: "join_failed" });
});

const approval = actor({
  state: { outcome: null as unknown },
  run: workflow(async (ctx) => {
    const result = await ctx.race("decision", [
      {
        name: "timeout",
        run: async (ctx) => {
          await ctx.sleep("deadline", 5_000);
          return "timed out";
        },
      },
      { name: "approved", run: async (ctx) => (await ctx.queue.next<string>("approval")).body },
    ]);
    await ctx.step("save", () => {
      ctx.state.outcome = result;
    });
  }),
  actions: { outcome: (c) => c.state.outcome, queued: (c) => c.queue.size() },
});

test("race: the first branch to finish wins and the others are cancelled", async () => {
  const t = setupTest(setup({ use: { approval } }));
  const h = t.client.approval.getOrCreate(["approved"]);
  const id = await h.resolve();
  await until("racing", async () => (await entryStatus(t.host.driver, id, "decision/timeout/deadline")) === "waiting");
  await h.send("default", "yes");
  await untilStatus(t.host.driver, id, "completed");
  expect(await h.outcome()).toEqual({ winner: "approved", value: "yes" });
  // The losing sleep no longer holds an alarm: nothing runs at its deadline.
  expect(await t.host.driver.nextAlarm()).toBeUndefined();

  const late = t.client.approval.getOrCreate(["late"]);
  const lateId = await late.resolve();
  await until("racing", async () => (await entryStatus(t.host.driver, lateId, "decision/timeout/deadline")) === "waiting");
  await t.restart();
  await vi.advanceTimersByTimeAsync(5_000);
  await untilStatus(t.host.driver, lateId, "completed");
  expect(await late.outcome()).toEqual({ winner: "timeout", value: "timed out" });
  // The cancelled queue wait took nothing: a message sent now stays queued.
  await late.send("default", "too late");
  expect(await late.queued()).toBe(1);
  // A wake replays the decided race: the winner again, no new wait.
  await t.restart();
  expect(await late.outcome()).toEqual({ winner: "timeout", value: "timed out" });
  expect(await late.queued()).toBe(1);
});
