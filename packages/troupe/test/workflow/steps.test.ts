import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { CriticalError, type StepContext, workflow } from "troupe/workflow";
import { afterEach, expect, test, vi } from "vitest";
import { entryStatus, statuses, untilStatus } from "./helpers.ts";
import { until } from "../support/until.ts";

afterEach(() => {
  vi.useRealTimers();
});

/** How many times each step's code ran, across activations (module-level, like an external system). */
const runs = new Map<string, number>();
const ran = (name: string) => runs.set(name, (runs.get(name) ?? 0) + 1);

const order = actor({
  state: { log: [] as string[], seen: [] as Array<{ random: number; now: number }> },
  run: workflow(async (ctx) => {
    const random = ctx.random();
    const now = ctx.now();
    const a = await ctx.step("a", () => {
      ran("a");
      ctx.state.log.push("a");
      ctx.state.seen.push({ random, now });
      return { n: 1, at: new Date(0) };
    });
    await ctx.sleep("pause", 60_000);
    await ctx.step("b", (c: StepContext<{ log: string[]; seen: Array<{ random: number; now: number }> }>) => {
      ran("b");
      c.state.log.push(`b ${a.n} ${a.at instanceof Date}`);
      c.state.seen.push({ random, now });
    });
  }),
  actions: { state: (c) => c.state },
});

test("completed steps run once: after the actor sleeps and the process restarts they replay their results", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  runs.clear();
  const t = setupTest(setup({ use: { order } }));
  const h = t.client.order.getOrCreate(["o1"]);
  const id = await h.resolve();
  await until("step a done and sleeping", async () => (await entryStatus(t.host.driver, id, "pause")) === "waiting");
  expect((await h.state()).log).toEqual(["a"]);

  await t.sleep(id);
  await t.restart();
  // The durable sleep's alarm wakes the actor; the replay does not run step a again.
  await vi.advanceTimersByTimeAsync(60_000);
  const done = await untilStatus(t.host.driver, id, "completed");
  const state = await h.state();
  expect(state.log).toEqual(["a", "b 1 true"]);
  expect(Object.fromEntries(runs)).toEqual({ a: 1, b: 1 });
  // ctx.random() and ctx.now() drew the same values in the replay as live.
  expect(state.seen[1]).toEqual(state.seen[0]);
  expect(statuses(done)).toEqual({ a: "completed", pause: "completed", b: "completed" });

  await t.restart();
  expect((await h.state()).log).toEqual(["a", "b 1 true"]);
  expect(Object.fromEntries(runs)).toEqual({ a: 1, b: 1 });
});

const guarded = actor({
  state: { errors: [] as string[] },
  run: workflow(async (ctx) => {
    let leaked: StepContext | undefined;
    await ctx.step("keep", (c) => {
      leaked = c as StepContext;
    });
    const messages: string[] = [];
    for (const attempt of [() => ctx.state, () => leaked?.state, () => ctx.broadcast("x")]) {
      try {
        attempt();
      } catch (error) {
        messages.push((error as Error).message);
      }
    }
    await ctx.step("record", () => {
      ctx.state.errors = messages;
    });
  }),
  actions: { errors: (c) => c.state.errors },
});

test("the actor's state and c.* are available only inside steps", async () => {
  const t = setupTest(setup({ use: { guarded } }));
  const h = t.client.guarded.getOrCreate(["g"]);
  const id = await h.resolve();
  await untilStatus(t.host.driver, id, "completed");
  expect(await h.errors()).toEqual([
    "state is only available inside workflow steps",
    "state is only available inside workflow steps",
    "broadcast is only available inside workflow steps",
  ]);
});

const trying = actor({
  state: { result: null as unknown },
  run: workflow(async (ctx) => {
    const failed = await ctx.tryStep("charge", () => {
      throw new CriticalError("card declined");
    });
    const ok = await ctx.tryStep("fine", () => 42);
    await ctx.step("save", () => {
      ctx.state.result = {
        failed: failed.ok
          ? null
          : {
              kind: failed.failure.kind,
              step: failed.failure.stepName,
              attempts: failed.failure.attempts,
              message: failed.failure.error.message,
            },
        ok,
      };
    });
  }),
  actions: { result: (c) => c.state.result },
});

test("tryStep returns a step's final failure instead of throwing; a CriticalError is not retried", async () => {
  const t = setupTest(setup({ use: { trying } }));
  const h = t.client.trying.getOrCreate(["t"]);
  const id = await h.resolve();
  const done = await untilStatus(t.host.driver, id, "completed");
  expect(await h.result()).toEqual({
    failed: { kind: "critical", step: "charge", attempts: 1, message: "card declined" },
    ok: { ok: true, value: 42 },
  });
  expect(done.entries.find((e) => e.name === "charge")).toMatchObject({
    status: "failed",
    attempts: 1,
    failure: "critical",
    error: { message: "card declined" },
  });
});
