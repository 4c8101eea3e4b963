import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { Loop, readWorkflowHistory, workflow } from "troupe/workflow";
import { afterEach, expect, test, vi } from "vitest";
import { entryStatus, history, untilStatus } from "./helpers.ts";
import { until } from "../support/until.ts";

afterEach(() => {
  vi.useRealTimers();
});

const ticks: number[] = [];

const ticker = actor({
  state: { sum: 0 },
  run: workflow(async (ctx) => {
    const total = await ctx.loop({
      name: "tick",
      state: { i: 0, sum: 0 },
      historyKeep: 2,
      run: async (ctx, { i, sum }) => {
        const value = await ctx.step("work", () => {
          ticks.push(i);
          return i * 10;
        });
        await ctx.sleep("rest", 1_000);
        if (i === 9) return Loop.break(sum + value);
        return Loop.continue({ i: i + 1, sum: sum + value });
      },
    });
    await ctx.step("save", () => {
      ctx.state.sum = total;
    });
  }),
  actions: { sum: (c) => c.state.sum },
});

test("a loop resumes at its current iteration after a restart, and keeps only recent iterations in its history", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  ticks.length = 0;
  const t = setupTest(setup({ use: { ticker } }));
  const h = t.client.ticker.getOrCreate(["l"]);
  const id = await h.resolve();
  for (let i = 0; i < 4; i++) await vi.advanceTimersByTimeAsync(1_000);
  await until("four iterations", () => ticks.length === 5);
  await t.restart();
  // Each rest's alarm wakes the actor, whose claim commits in a real I/O turn before the workflow
  // goes on: wait for each rest to begin before moving the clock past it.
  for (let i = 4; i < 10; i++) {
    await until(`rest ${i}`, async () => (await entryStatus(t.host.driver, id, `tick[${i}]/rest`)) === "waiting");
    await vi.advanceTimersByTimeAsync(1_000);
  }
  const done = await untilStatus(t.host.driver, id, "completed");
  expect(await h.sum()).toBe(450);
  expect(ticks).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // The loop's record, the last two iterations, and the step after the loop.
  expect(done.entries.map((e) => e.location)).toEqual(["tick", "tick[8]/work", "tick[8]/rest", "tick[9]/work", "tick[9]/rest", "save"]);
  expect(done.entries[0]).toMatchObject({ kind: "loop", status: "completed", iteration: 9, output: 450 });
});

const forever = actor({
  run: workflow(async (ctx) => {
    await ctx.loop({
      name: "spin",
      historyKeep: 3,
      run: async (ctx) => {
        await ctx.step("one", () => 1);
        await ctx.step("two", () => 2);
      },
    });
  }),
  actions: { ping: () => true },
});

test("a long-running loop's history stays bounded", async () => {
  const t = setupTest(setup({ use: { forever } }));
  const h = t.client.forever.getOrCreate(["f"]);
  const id = await h.resolve();
  await until("many iterations", async () => ((await readWorkflowHistory(t.host.driver, id))?.entries[0]?.iteration ?? 0) > 40);
  const entries = (await history(t.host.driver, id)).entries;
  // Three kept iterations of two steps each, at most one more in progress, and the loop itself.
  expect(entries.length).toBeLessThanOrEqual(1 + 4 * 2);
  await h.ping();
});
