import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { type WorkflowContext, workflow } from "troupe/workflow";
import { afterEach, expect, test, vi } from "vitest";
import { entryStatus, history, untilStatus } from "./helpers.ts";
import { until } from "../support/until.ts";

afterEach(() => {
  vi.useRealTimers();
});

/** The deployed code: tests swap it between restarts, as a deploy would. */
let deployed: (ctx: WorkflowContext<{ steps: string[] }>) => Promise<void>;
const ran: string[] = [];

const step = (ctx: WorkflowContext<{ steps: string[] }>, name: string) =>
  ctx.step(name, () => {
    ran.push(name);
    ctx.state.steps.push(name);
  });

const v1 = async (ctx: WorkflowContext<{ steps: string[] }>) => {
  await step(ctx, "reserve");
  await ctx.sleep("wait", 10_000);
  await step(ctx, "ship");
};

const order = actor({
  state: { steps: [] as string[] },
  run: workflow((ctx) => deployed(ctx)),
  actions: { steps: (c) => c.state.steps },
});
const registry = setup({ use: { order } });

test("code that no longer matches the history blocks the workflow, which stays inspectable and resumes once fixed", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  ran.length = 0;
  deployed = v1;
  const t = setupTest(registry);
  const h = t.client.order.getOrCreate(["blocked"]);
  const id = await h.resolve();
  await until("waiting", async () => (await entryStatus(t.host.driver, id, "wait")) === "waiting");

  // A deploy renames the first step.
  deployed = async (ctx) => {
    await step(ctx, "reserve-stock");
    await ctx.sleep("wait", 10_000);
    await step(ctx, "ship");
  };
  await t.restart();
  await vi.advanceTimersByTimeAsync(10_000);
  const blocked = await untilStatus(t.host.driver, id, "blocked");
  expect(blocked.workflow.error).toMatchObject({ group: "workflow", code: "nondeterministic", metadata: { step: "reserve" } });
  expect(blocked.workflow.error?.message).toContain('the history has step "reserve" where the code now calls step "reserve-stock"');
  expect(blocked.entries.map((e) => [e.name, e.status])).toEqual([
    ["reserve", "completed"],
    ["wait", "waiting"],
  ]);
  expect(ran).toEqual(["reserve"]);

  // The fix: the old name kept. The next wake replays and the workflow goes on.
  deployed = v1;
  await t.restart();
  await h.steps();
  await untilStatus(t.host.driver, id, "completed");
  expect(await h.steps()).toEqual(["reserve", "ship"]);
  expect(ran).toEqual(["reserve", "ship"]);
});

test("getVersion gates new code: running workflows keep the old path, new ones take the new; removed stands in for a deleted step", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  deployed = v1;
  const t = setupTest(registry);
  const old = t.client.order.getOrCreate(["old"]);
  const oldId = await old.resolve();
  await until("old waiting", async () => (await entryStatus(t.host.driver, oldId, "wait")) === "waiting");

  // v2: a fraud check after reserve, for workflows that reach that point from now on.
  deployed = async (ctx) => {
    await step(ctx, "reserve");
    if ((await ctx.getVersion("fraud", 2)) === 2) await step(ctx, "fraud-check");
    await ctx.sleep("wait", 10_000);
    await step(ctx, "ship");
  };
  await t.restart();
  const fresh = t.client.order.getOrCreate(["new"]);
  const freshId = await fresh.resolve();
  await until("new waiting", async () => (await entryStatus(t.host.driver, freshId, "wait")) === "waiting");
  await vi.advanceTimersByTimeAsync(10_000);
  await untilStatus(t.host.driver, oldId, "completed");
  await untilStatus(t.host.driver, freshId, "completed");
  expect(await old.steps()).toEqual(["reserve", "ship"]);
  expect(await fresh.steps()).toEqual(["reserve", "fraud-check", "ship"]);
  expect((await history(t.host.driver, freshId)).entries.find((e) => e.name === "fraud")).toMatchObject({ kind: "version", version: 2 });

  // v3: the reserve step deleted, marked with ctx.removed: both old histories still replay.
  deployed = async (ctx) => {
    await ctx.removed("reserve", "step");
    if ((await ctx.getVersion("fraud", 2)) === 2) await step(ctx, "fraud-check");
    await ctx.sleep("wait", 10_000);
    await step(ctx, "ship");
  };
  const newest = t.client.order.getOrCreate(["newest"]);
  const newestId = await newest.resolve();
  await vi.advanceTimersByTimeAsync(10_000);
  await untilStatus(t.host.driver, newestId, "completed");
  expect(await newest.steps()).toEqual(["fraud-check", "ship"]);
  expect((await history(t.host.driver, newestId)).entries[0]).toMatchObject({ kind: "removed", name: "reserve", removedKind: "step" });
});
