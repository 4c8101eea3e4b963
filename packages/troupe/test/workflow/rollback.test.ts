import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { CriticalError, readWorkflowHistory, workflow } from "troupe/workflow";
import { afterEach, expect, test, vi } from "vitest";
import { untilStatus } from "./helpers.ts";
import { until } from "../support/until.ts";

afterEach(() => {
  vi.useRealTimers();
});

/** Effects on the outside world, by step (module-level, like an external system). */
const effects: string[] = [];
let refundFailures = 0;

const saga = actor({
  state: { done: false },
  run: workflow(async (ctx) => {
    await ctx.step("validate", () => {
      effects.push("validate");
    });
    await ctx.rollbackCheckpoint("checkout");
    const reservation = await ctx.step({
      name: "reserve",
      run: () => {
        effects.push("reserve");
        return "r-1";
      },
      rollback: (_c, id) => {
        effects.push(`release ${id}`);
      },
    });
    await ctx.step({
      name: "charge",
      run: () => {
        effects.push(`charge for ${reservation}`);
        return { paymentId: "p-1" };
      },
      rollback: (_c, payment) => {
        if (refundFailures-- > 0) throw new Error("refund service down");
        effects.push(`refund ${payment.paymentId}`);
      },
      retryBackoffBase: 1_000,
    });
    await ctx.step("ship", () => {
      throw new CriticalError("no courier");
    });
  }),
  actions: { ping: () => true },
});
const registry = setup({ use: { saga } });

test("saga: when a later step fails, completed steps since the checkpoint are rolled back in reverse", async () => {
  effects.length = 0;
  refundFailures = 0;
  const t = setupTest(registry);
  const id = await t.client.saga.getOrCreate(["s"]).resolve();
  const failed = await untilStatus(t.host.driver, id, "failed");
  expect(effects).toEqual(["validate", "reserve", "charge for r-1", "refund p-1", "release r-1"]);
  expect(failed.workflow.error).toMatchObject({ code: "step_failed", message: 'Step "ship" failed: no courier' });
  expect(failed.entries.find((e) => e.name === "charge")?.rollback).toMatchObject({ status: "completed", attempts: 1 });
  expect(failed.entries.find((e) => e.name === "validate")?.rollback).toBeUndefined();
});

test("rollbacks are durable: a failing rollback is retried after a restart, and finished ones do not run again", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  effects.length = 0;
  refundFailures = 1;
  const t = setupTest(registry);
  const id = await t.client.saga.getOrCreate(["d"]).resolve();
  await until("refund waiting to retry", async () => {
    const history = await readWorkflowHistory(t.host.driver, id);
    return history?.workflow.status === "rolling_back" && history.entries.find((e) => e.name === "charge")?.rollback?.status === "retrying";
  });
  expect(effects).toEqual(["validate", "reserve", "charge for r-1"]);
  await t.restart();
  await vi.advanceTimersByTimeAsync(1_000);
  await untilStatus(t.host.driver, id, "failed");
  expect(effects).toEqual(["validate", "reserve", "charge for r-1", "refund p-1", "release r-1"]);
});

const noCheckpoint = actor({
  run: workflow(async (ctx) => {
    await ctx.step({ name: "reserve", run: () => 1, rollback: () => {} });
  }),
  actions: { ping: () => true },
});

test("a step with a rollback but no checkpoint before it blocks the workflow, naming the step", async () => {
  const t = setupTest(setup({ use: { noCheckpoint } }));
  const id = await t.client.noCheckpoint.getOrCreate(["n"]).resolve();
  const blocked = await untilStatus(t.host.driver, id, "blocked");
  expect(blocked.workflow.error).toMatchObject({ code: "missing_checkpoint", metadata: { step: "reserve" } });
});
