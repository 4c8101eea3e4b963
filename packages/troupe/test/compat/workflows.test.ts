// Item 7 of RivetKit compatibility: workflows. ctx.try over a block, ctx.queue.nextBatch, and
// ephemeral steps.

import { actor, queue } from "troupe";
import { workflow } from "troupe/workflow";
import { describe, expect, test } from "vitest";
import { until } from "../support/until.ts";
import { open, TARGETS } from "./harness.ts";

const flow = actor({
  state: { results: [] as unknown[], batches: [] as number[][] },
  queues: { jobs: queue<number>() },
  run: workflow(async (ctx) => {
    const declined = await ctx.try("charge", async (c) => {
      await c.step({
        name: "card",
        maxRetries: 0,
        run: () => {
          throw new Error("card declined");
        },
      });
      return "charged";
    });
    const fine = await ctx.try("fine", async (c) => c.step("five", () => 5));
    const own = await ctx.try({ name: "own", catch: ["block"], run: async () => Promise.reject(new Error("mine")) });
    await ctx.step("record", (c) => {
      c.state.results.push(
        declined.ok ? declined : { source: declined.failure.source, name: declined.failure.name, step: declined.failure.step },
      );
      c.state.results.push(fine);
      c.state.results.push(own.ok ? own : { source: own.failure.source, message: own.failure.error.message });
    });
    await ctx.loop("batches", async (l) => {
      const batch = await l.queue.nextBatch("take", { names: ["jobs"], count: 3 });
      await l.step({
        name: "save",
        ephemeral: true,
        run: (c) => {
          c.state.batches.push(batch.map((m) => m.body as number));
        },
      });
    });
  }),
  actions: {
    results: (c) => c.state.results,
    batches: (c) => c.state.batches,
  },
});

describe.each(TARGETS)("workflows (%s)", (target) => {
  test("ctx.try turns a failed step into a value; nextBatch takes what is queued; ephemeral steps run", async () => {
    await using app = await open(target, { flow });
    const handle = app.client.flow.getOrCreate("w");
    await until("the tries are recorded", async () => (await handle.results()).length === 3);
    expect(await handle.results()).toEqual([
      { source: "step", name: "charge", step: "card" },
      { ok: true, value: 5 },
      { source: "block", message: "mine" },
    ]);
    for (const n of [1, 2, 3, 4]) await handle.send("jobs", n);
    await until("every job is saved", async () => (await handle.batches()).flat().length === 4);
    const batches = await handle.batches();
    expect(batches.flat()).toEqual([1, 2, 3, 4]);
    expect(batches.every((b) => b.length >= 1 && b.length <= 3)).toBe(true);
  });
});
