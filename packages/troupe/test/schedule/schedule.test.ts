import { actor, type ScheduledFireInfo, setup } from "troupe";
import { setupTest } from "troupe/test";
import { afterEach, beforeEach, expect, test, vi } from "vitest";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const planner = actor({
  state: { fired: [] as Array<{ what: string; kind: string; late: number }> },
  actions: {
    plan: async (c, delays: number[]) => {
      const ids: string[] = [];
      for (const [i, ms] of delays.entries()) ids.push(await c.schedule.after(ms, "record", `#${i}`));
      return ids;
    },
    planAt: (c, at: number) => c.schedule.at(at, "record", "at"),
    record: (c, what: string, info: ScheduledFireInfo) => {
      c.state.fired.push({ what, kind: info.kind, late: info.firedAt - info.scheduledAt });
    },
    fired: (c) => c.state.fired.map((f) => f.what),
    firedInfo: (c) => c.state.fired,
    list: (c) => c.schedule.list(),
    get: (c, id: string) => c.schedule.get(id),
    cancel: (c, id: string) => c.schedule.cancel(id),
    unknownAction: (c) => c.schedule.after(10, "nope"),
  },
  options: { sleepTimeout: 500, maxSchedules: 3 },
});
const registry = setup({ use: { planner } });

test("schedules fire once each, in order, with their args; an idle actor sleeps and the alarm wakes it", async () => {
  const t = setupTest(registry);
  const h = t.client.planner.getOrCreate("p");
  const id = await h.resolve();
  const ids = await h.plan([1_250, 250, 750]);
  expect((await h.list()).map((s) => s.runAt - Date.now())).toEqual([250, 750, 1_250]);
  expect(await h.get(ids[0] as string)).toMatchObject({ action: "record", args: ["#0"] });
  await vi.advanceTimersByTimeAsync(260);
  await vi.waitFor(() => expect(t.host.instances.has(id)).toBe(true));
  await vi.advanceTimersByTimeAsync(2_000);
  await vi.waitFor(async () => expect(await h.fired()).toEqual(["#1", "#2", "#0"]));
  expect(await h.list()).toEqual([]);
  expect((await h.firedInfo()).every((f) => f.kind === "at")).toBe(true);
});

test("a cancelled schedule does not fire", async () => {
  const t = setupTest(registry);
  const h = t.client.planner.getOrCreate("p");
  const [id] = await h.plan([100]);
  expect(await h.cancel(id as string)).toBe(true);
  expect(await h.cancel(id as string)).toBe(false);
  await vi.advanceTimersByTimeAsync(200);
  expect(await h.fired()).toEqual([]);
});

test("a schedule survives a restart, and one due while the process was down fires when it starts", async () => {
  const t = setupTest(registry);
  const h = t.client.planner.getOrCreate("p");
  await h.plan([10_000, 60_000]);
  await t.restart();
  await vi.advanceTimersByTimeAsync(10_001);
  await vi.waitFor(async () => expect(await h.fired()).toEqual(["#0"]));
  await t.crash();
  // Down for two minutes: the clock moves, no timer runs.
  vi.setSystemTime(Date.now() + 120_000);
  await t.restart();
  await vi.advanceTimersByTimeAsync(0);
  await vi.waitFor(async () => expect(await h.fired()).toEqual(["#0", "#1"]));
  const late = (await h.firedInfo())[1]?.late ?? 0;
  expect(late).toBeGreaterThanOrEqual(60_000);
});

test("a new actor reads nothing of its schedules from storage (it has none); a woken one reads them", async () => {
  const t = setupTest(registry);
  const list = vi.spyOn(t.host.driver, "list");
  const h = t.client.planner.getOrCreate("fresh");
  await h.plan([60_000]);
  expect(list).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(600);
  await vi.waitFor(() => expect(t.host.instances.size).toBe(0));
  expect((await h.list()).length).toBe(1);
  expect(list).toHaveBeenCalledTimes(1);
});

test("limits and validation: unknown action, bad time, maxSchedules", async () => {
  const t = setupTest(registry);
  const h = t.client.planner.getOrCreate("p");
  await expect(h.unknownAction()).rejects.toMatchObject({ group: "actor", code: "action_not_found" });
  await expect(h.planAt(Number.NaN)).rejects.toMatchObject({ group: "schedule", code: "invalid_time" });
  await h.plan([1_000, 2_000, 3_000]);
  await expect(h.plan([4_000])).rejects.toMatchObject({ group: "schedule", code: "max_schedules_exceeded" });
});
