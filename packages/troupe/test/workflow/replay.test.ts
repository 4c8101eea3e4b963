// Recorded histories replayed against the workflow's code, as Temporal's replayer does: the code
// must reproduce its fixtures, and deliberately altered histories or code must be caught.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { replayWorkflow, type WorkflowFn, type WorkflowHistory, workflow } from "troupe/workflow";
import { afterEach, describe, expect, test, vi } from "vitest";
import * as code from "./fixtures/checkout.ts";
import { entryStatus, history, untilStatus } from "./helpers.ts";
import { until } from "../support/until.ts";

afterEach(() => {
  vi.useRealTimers();
});

const fixtures = join(import.meta.dirname, "fixtures");
const load = (name: string): WorkflowHistory => JSON.parse(readFileSync(join(fixtures, name), "utf8")) as WorkflowHistory;

/** A history without what changes from one recording to the next (times, the random seed). */
function shape(history: WorkflowHistory): unknown {
  const volatile = new Set(["startedAt", "updatedAt", "completedAt", "deadline", "retryAt", "iterationStartedAt", "seed", "stack"]);
  return JSON.parse(JSON.stringify(history, (key, value) => (volatile.has(key) ? undefined : value)));
}

describe("recorded fixtures", () => {
  test("the checkout workflow still records what its fixtures hold (UPDATE_FIXTURES=1 records them again)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const shop = actor({ run: workflow(code.checkout), actions: { ping: () => true } });
    const t = setupTest(setup({ use: { shop } }));
    const id = await t.client.shop.getOrCreate(["fixture"]).resolve();
    await until("cooling off", async () => (await entryStatus(t.host.driver, id, "cool-off")) === "waiting");
    const sleeping = await history(t.host.driver, id);
    await vi.advanceTimersByTimeAsync(1_000);
    await until("racing", async () => (await entryStatus(t.host.driver, id, "confirm/auto/grace")) === "waiting");
    await vi.advanceTimersByTimeAsync(500);
    const completed = await untilStatus(t.host.driver, id, "completed");
    expect(completed.workflow.output).toBe("p-900 auto");
    if (process.env.UPDATE_FIXTURES) {
      writeFileSync(join(fixtures, "checkout.sleeping.json"), `${JSON.stringify(sleeping, null, 2)}\n`);
      writeFileSync(join(fixtures, "checkout.completed.json"), `${JSON.stringify(completed, null, 2)}\n`);
    }
    expect(shape(sleeping)).toEqual(shape(load("checkout.sleeping.json")));
    expect(shape(completed)).toEqual(shape(load("checkout.completed.json")));
  });

  test("the workflow's code replays its recorded histories", async () => {
    expect(await replayWorkflow(code.checkout, load("checkout.completed.json"))).toEqual({ status: "completed", output: "p-900 auto" });
    expect(await replayWorkflow(code.checkout, load("checkout.sleeping.json"))).toEqual({ status: "running" });
  });
});

describe("altered histories must not replay", () => {
  const cases: Array<[string, string, string]> = [
    ["altered.renamed-step.json", "reserve-stock", 'the history has step "reserve-stock" where the code now calls step "reserve"'],
    ["altered.reordered.json", "saga", 'the history has checkpoint "saga" where the code now calls step "load"'],
    ["altered.extra-step.json", "audit", 'the history has step "audit" where the code now calls loop "price"'],
    ["altered.changed-kind.json", "cool-off", 'the history has step "cool-off" where the code now calls sleep "cool-off"'],
    ["altered.branch-step.json", "bill", 'in "pay/charge": the history has step "bill" where the code now calls step "charge"'],
    ["altered.extra-tail.json", "notify", 'the history has step "notify" that the code no longer reaches'],
  ];
  for (const [file, step, message] of cases) {
    test(file, async () => {
      const replay = replayWorkflow(code.checkout, load(file));
      await expect(replay).rejects.toMatchObject({ group: "workflow", code: "nondeterministic", metadata: { step } });
      await expect(replay).rejects.toThrow(message);
    });
  }
});

describe("changed code against the recorded history", () => {
  const failing: Array<[string, WorkflowFn, string]> = [
    ["a renamed step", code.renamedStep, "reserve"],
    ["swapped steps", code.reordered, "load"],
    ["a deleted step", code.removedStep, "reserve"],
    ["an ungated new step", code.insertedStep, "saga"],
    ["a step appended to a completed workflow", code.appended, "survey"],
  ];
  for (const [what, fn, step] of failing) {
    test(`${what} is caught, naming the step`, async () => {
      await expect(replayWorkflow(fn, load("checkout.completed.json"))).rejects.toMatchObject({
        code: "nondeterministic",
        metadata: { step },
      });
    });
  }

  test("ctx.removed and ctx.getVersion change the code safely", async () => {
    for (const fn of [code.removedSafely, code.versioned]) {
      expect(await replayWorkflow(fn, load("checkout.completed.json"))).toEqual({ status: "completed", output: "p-900 auto" });
      expect(await replayWorkflow(fn, load("checkout.sleeping.json"))).toEqual({ status: "running" });
    }
  });
});
