import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { workflow } from "troupe/workflow";
import { expect, test } from "vitest";
import { untilStatus } from "./helpers.ts";
import { until } from "../support/until.ts";

let wakes = 0;

const napper = actor({
  state: { steps: [] as string[] },
  onWake: () => {
    wakes++;
  },
  run: workflow(async (ctx) => {
    await ctx.step("first", (c) => {
      c.state.steps.push("first");
      c.sleep();
    });
    await ctx.step("second", (c) => {
      c.state.steps.push("second");
    });
  }),
  actions: { steps: (c) => c.state.steps },
});

test("c.sleep() inside a step: the step is recorded, the actor sleeps, wakes again by itself and goes on", async () => {
  wakes = 0;
  const t = setupTest(setup({ use: { napper } }));
  const h = t.client.napper.getOrCreate(["n"]);
  const id = await h.resolve();
  await untilStatus(t.host.driver, id, "completed");
  expect(wakes).toBe(2);
  expect(await h.steps()).toEqual(["first", "second"]);
});

const doomed = actor({
  run: workflow(async (ctx) => {
    await ctx.step("destroy", (c) => c.destroy());
    await ctx.step("never", () => {
      throw new Error("ran after destroy");
    });
  }),
  actions: { ping: () => true },
});

test("c.destroy() inside a step destroys the actor and its history", async () => {
  const t = setupTest(setup({ use: { doomed } }));
  const id = await t.client.doomed.getOrCreate(["d"]).resolve();
  await until("destroyed", async () => (await t.host.driver.getActorById(id)) === undefined);
  expect(await t.host.driver.list(id)).toEqual([]);
});

const waiting = actor({
  run: workflow(async (ctx) => {
    await ctx.queue.next("forever");
  }),
  actions: { ping: () => true },
  options: { sleepGracePeriod: 10_000 },
});

test("a workflow waiting on its queue does not hold up a stop", async () => {
  const t = setupTest(setup({ use: { waiting } }));
  const h = t.client.waiting.getOrCreate(["w"]);
  const id = await h.resolve();
  await until("waiting", async () => (await t.host.driver.list(id)).length > 1);
  const started = performance.now();
  await t.sleep(id);
  expect(performance.now() - started).toBeLessThan(1_000);
  expect(await h.ping()).toBe(true);
});
