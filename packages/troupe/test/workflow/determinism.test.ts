// Determinism enforced in workflow bodies: outside steps, Date and Math.random give the scope's
// ctx.now() and ctx.random() (the same again on replay) and the timer functions fail; inside
// steps, and everywhere outside workflow bodies, they are the real ones.

import { promisify } from "node:util";
import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { Loop, readWorkflowHistory, replayWorkflow, type WorkflowContext, workflow } from "troupe/workflow";
import { afterEach, expect, test, vi } from "vitest";
import { until } from "../support/until.ts";
import { entryStatus, history, untilStatus } from "./helpers.ts";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const START = Date.UTC(2030, 0, 1);
const DAY = 86_400_000;

function fakeClock(): void {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: START });
  vi.spyOn(Math, "random").mockReturnValue(0.25);
}

/** The time `new Date()` gives: what these tests check, besides Date.now(). */
function newDate(): number {
  // biome-ignore lint/complexity/useDateNow: the constructor is under test, not Date.now().
  return new Date().getTime();
}

interface Sample {
  now: number;
  date: number;
  random: number;
  ctxNow: number;
}

/** The samples each run of the body took, in order (module-level: it outlives the actor's restarts). */
const bodyRuns: Sample[][] = [];
let inStep: { now: number; random: number } | undefined;

const clocked = actor({
  run: workflow(async (ctx) => {
    const samples: Sample[] = [];
    bodyRuns.push(samples);
    const sample = () => samples.push({ now: Date.now(), date: newDate(), random: Math.random(), ctxNow: ctx.now() });
    sample();
    await ctx.step("first", () => 1);
    sample();
    await ctx.sleep("pause", 60_000);
    sample();
    await ctx.step("real", () => {
      clearTimeout(setTimeout(() => {}, 1_000));
      inStep = { now: Date.now(), random: Math.random() };
    });
  }),
  actions: { ping: () => true },
});

test("Date.now(), new Date() and Math.random() in a body are the workflow's, the same after a crash; in a step they are real", async () => {
  fakeClock();
  bodyRuns.length = 0;
  inStep = undefined;
  const t = setupTest(setup({ use: { clocked } }));
  const id = await t.client.clocked.getOrCreate(["c"]).resolve();
  await until("sleeping", async () => (await entryStatus(t.host.driver, id, "pause")) === "waiting");
  await t.crash();
  await vi.advanceTimersByTimeAsync(60_000);
  const done = await untilStatus(t.host.driver, id, "completed");
  const at = (name: string) => done.entries.find((e) => e.name === name);

  expect(bodyRuns.length).toBe(2);
  const [live, replayed] = bodyRuns as [Sample[], Sample[]];
  expect(live.length).toBe(2);
  expect(replayed.slice(0, 2)).toEqual(live);
  expect(replayed.map((s) => s.now)).toEqual([done.workflow.startedAt, at("first")?.completedAt, at("pause")?.completedAt]);
  for (const s of replayed) {
    expect(s.date).toBe(s.now);
    expect(s.ctxNow).toBe(s.now);
    // Drawn from the workflow's seeded stream, not from Math.random (mocked to 0.25).
    expect(s.random).not.toBe(0.25);
  }
  expect(new Set(replayed.map((s) => s.random)).size).toBe(3);
  // The replay ran a minute after the workflow started, and saw the time it started at.
  expect(replayed[0]?.now).toBe(START);
  expect(inStep).toEqual({ now: at("real")?.startedAt, random: 0.25 });
  expect(at("real")?.startedAt).toBeGreaterThanOrEqual(START + 60_000);
});

/** A workflow that samples time and randomness in its body, a join's branches and a loop's iterations. */
function sampler(source: "globals" | "ctx") {
  const samples: Record<string, Omit<Sample, "ctxNow">> = {};
  const take = (where: string, ctx: WorkflowContext) => {
    samples[where] =
      source === "globals"
        ? { now: Date.now(), date: newDate(), random: Math.random() }
        : { now: ctx.now(), date: ctx.now(), random: ctx.random() };
  };
  // Each step moves the process's clock on, so that entries complete at times of their own.
  const step = (ctx: WorkflowContext, name: string) =>
    ctx.step(name, () => {
      vi.setSystemTime(Date.now() + 1_000);
    });
  const fn = async (ctx: WorkflowContext) => {
    take("body", ctx);
    await step(ctx, "first");
    take("body after first", ctx);
    await ctx.join("join", {
      a: async (ctx) => {
        take("a", ctx);
        await step(ctx, "a");
        take("a after step", ctx);
      },
      b: async (ctx) => {
        await step(ctx, "b");
        take("b after step", ctx);
      },
    });
    take("body after join", ctx);
    await ctx.loop({
      name: "loop",
      state: 0,
      run: async (ctx, i) => {
        take(`loop[${i}]`, ctx);
        await step(ctx, "tick");
        take(`loop[${i}] after tick`, ctx);
        if (i === 0) return Loop.continue(1);
        await ctx.queue.next("stop");
        return Loop.break(undefined);
      },
    });
  };
  return { fn, samples };
}

test("in branches and loop iterations too; a replay of the history draws the same values, those of ctx.now() and ctx.random()", async () => {
  fakeClock();
  const live = sampler("globals");
  const sampled = actor({ run: workflow(live.fn), actions: { ping: () => true } });
  const t = setupTest(setup({ use: { sampled } }));
  const id = await t.client.sampled.getOrCreate(["s"]).resolve();
  await until("waiting in the loop", async () => (await entryStatus(t.host.driver, id, "loop[1]/stop")) === "waiting");
  const recorded = await history(t.host.driver, id);

  // Each scope saw the times of its own entries; a branch starts at its join's start, an
  // iteration where the one before it ended.
  const seen = (where: string) => live.samples[where]?.now ?? Number.NaN;
  expect(["body", "body after first", "a"].map((where) => seen(where) - START)).toEqual([0, 1_000, 1_000]);
  expect(seen("b after step")).toBe(recorded.entries.find((e) => e.location === "join/b/b")?.completedAt);
  const join = seen("body after join");
  expect(["loop[0]", "loop[0] after tick", "loop[1]", "loop[1] after tick"].map((where) => seen(where) - join)).toEqual([
    0, 1_000, 1_000, 2_000,
  ]);
  for (const s of Object.values(live.samples)) expect(s.date).toBe(s.now);

  // A day later, replays of the history draw the same values, and they are those of ctx. A
  // replay resumes the loop at its current iteration: iteration 0 is not replayed.
  vi.setSystemTime(Date.now() + DAY);
  const replayed = sampler("globals");
  const fromCtx = sampler("ctx");
  expect(await replayWorkflow(replayed.fn, recorded)).toEqual({ status: "running" });
  expect(await replayWorkflow(fromCtx.fn, recorded)).toEqual({ status: "running" });
  const { "loop[0]": _, "loop[0] after tick": __, ...replayable } = live.samples;
  expect(Object.keys(replayable).length).toBe(8);
  expect(replayed.samples).toEqual(replayable);
  expect(fromCtx.samples).toEqual(replayable);
});

const impatient = actor({
  state: { refused: [] as unknown[] },
  run: workflow(async (ctx) => {
    const refused: unknown[] = [];
    const attempt = (schedule: () => unknown) => {
      try {
        schedule();
      } catch (error) {
        refused.push(error);
      }
    };
    attempt(() => setInterval(() => {}, 10));
    attempt(() => setImmediate(() => {}));
    await ctx.join("branches", {
      inBranch: async () => attempt(() => setTimeout(() => {}, 10)),
    });
    await ctx.step("record", (c) => {
      c.state.refused = refused.map((error) => {
        const { group, code, metadata } = error as { group: string; code: string; metadata: unknown };
        return { group, code, metadata };
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await ctx.step("never", () => {
      throw new Error("ran past setTimeout");
    });
  }),
  actions: { refused: (c) => c.state.refused },
});

test("setTimeout, setInterval and setImmediate in a body fail with a typed error; an uncaught one blocks the workflow", async () => {
  const t = setupTest(setup({ use: { impatient } }));
  const h = t.client.impatient.getOrCreate(["i"]);
  const id = await h.resolve();
  const blocked = await untilStatus(t.host.driver, id, "blocked");
  expect(await h.refused()).toEqual(
    ["setInterval", "setImmediate", "setTimeout"].map((api) => ({ group: "workflow", code: "nondeterministic_api", metadata: { api } })),
  );
  expect(blocked.workflow.error).toMatchObject({ group: "workflow", code: "nondeterministic_api", metadata: { api: "setTimeout" } });
  expect(blocked.workflow.error?.message).toContain("setTimeout cannot be used in workflow code outside steps");
  expect(blocked.workflow.error?.message).toContain("ctx.sleep");
  expect(blocked.entries.map((e) => e.name)).toEqual(["branches", "record"]);
});

let bodyNow: number | undefined;

const waiting = actor({
  run: workflow(async (ctx) => {
    bodyNow = Date.now();
    await ctx.queue.next("never");
  }),
  actions: {
    sample: () => {
      clearTimeout(setTimeout(() => {}, 10));
      return { now: Date.now(), date: newDate(), random: Math.random() };
    },
  },
});

test("code outside workflow bodies is unaffected: actions, test code, and Date's other uses", async () => {
  fakeClock();
  const fakeDate = Date;
  const t = setupTest(setup({ use: { waiting } }));
  const h = t.client.waiting.getOrCreate(["w"]);
  const id = await h.resolve();
  await until("waiting", async () => (await readWorkflowHistory(t.host.driver, id))?.entries.length === 1);
  // A body ran: the fake Date is wrapped now. Outside bodies the wrappers are what they wrap.
  expect(bodyNow).toBe(START);
  expect(Date).not.toBe(fakeDate);
  vi.setSystemTime(START + DAY);
  expect(await h.sample()).toEqual({ now: START + DAY, date: START + DAY, random: 0.25 });
  expect(Date.now()).toBe(START + DAY);
  expect(Math.random()).toBe(0.25);
  const date = new Date(2001, 1, 3);
  expect(date instanceof Date).toBe(true);
  expect(Object.getPrototypeOf(date)).toBe(Date.prototype);
  expect(date.getFullYear()).toBe(2001);
  expect(Date.UTC(2000, 0, 1)).toBe(946_684_800_000);
  expect(Date.parse("2000-01-01T00:00:00Z")).toBe(946_684_800_000);
  expect(new Date(Date()).getTime()).toBe(START + DAY);
  class Later extends Date {}
  expect(new Later(5).getTime()).toBe(5);
  vi.useRealTimers();
  expect(await promisify(setTimeout)(1, "done")).toBe("done");
  expect(Math.abs(Date.now() - (performance.timeOrigin + performance.now()))).toBeLessThan(1_000);
  expect((await readWorkflowHistory(t.host.driver, id))?.workflow.status).toBe("running");
});
