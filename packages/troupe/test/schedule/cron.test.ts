import { actor, type CronEveryOptions, type CronSetOptions, setup } from "troupe";
import { setupTest } from "troupe/test";
import { afterEach, beforeEach, expect, test, vi } from "vitest";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

const jobs = actor({
  state: { runs: 0 },
  actions: {
    every: (c, options: CronEveryOptions) => c.cron.every(options),
    set: (c, options: CronSetOptions) => c.cron.set(options),
    get: (c, name: string) => c.cron.get(name),
    list: (c) => c.cron.list(),
    delete: (c, name: string) => c.cron.delete(name),
    history: (c, name: string) => c.cron.history(name),
    tick: (c) => {
      c.state.runs++;
    },
    slow: async (c) => {
      c.state.runs++;
      await new Promise((resolve) => setTimeout(resolve, 12_000));
    },
    runs: (c) => c.state.runs,
  },
  options: { sleepTimeout: 1_000 },
});
const registry = setup({ use: { jobs } });

test("an interval job runs on its cadence, and the runs missed while down collapse into one catch-up run", async () => {
  const t = setupTest(registry);
  const h = t.client.jobs.getOrCreate("j");
  const start = Date.now();
  await h.every({ name: "tick", interval: 5_000, action: "tick" });
  await vi.advanceTimersByTimeAsync(10_001);
  await vi.waitFor(async () => expect(await h.runs()).toBe(2));
  // The second run's outcome is committed after its action's writes: wait for it too before the crash.
  await vi.waitFor(async () => expect((await h.history("tick")).map((r) => r.result)).toEqual(["ok", "ok"]));
  await t.crash();
  vi.setSystemTime(start + 62_000); // 10 runs were due meanwhile
  await t.restart();
  await vi.advanceTimersByTimeAsync(0);
  await vi.waitFor(async () => expect(await h.runs()).toBe(3));
  await vi.advanceTimersByTimeAsync(2_000);
  expect(await h.runs()).toBe(3);
  const history = await h.history("tick");
  expect(history.map((r) => [r.scheduledAt - start, r.result])).toEqual([
    [15_000, "ok"],
    [10_000, "ok"],
    [5_000, "ok"],
  ]);
  // Anchored to its due times: the next run is at 65 s, not 62 s + 5 s.
  expect(((await h.get("tick"))?.nextRunAt ?? 0) - start).toBe(65_000);
});

test("a run still going when the next is due makes that one skip, recorded in the history", async () => {
  const t = setupTest(registry);
  const h = t.client.jobs.getOrCreate("j");
  const start = Date.now();
  await h.every({ name: "slow", interval: 5_000, action: "slow" });
  for (let i = 0; i < 4; i++) await vi.advanceTimersByTimeAsync(5_000);
  await vi.waitFor(async () => expect((await h.history("slow")).length).toBe(4));
  const history = await h.history("slow");
  expect(history.map((r) => [r.scheduledAt - start, r.result])).toEqual([
    [20_000, "running"],
    [15_000, "skipped"],
    [10_000, "skipped"],
    [5_000, "ok"],
  ]);
  expect(await h.runs()).toBe(2);
  // Let the last run finish, so that the actor can stop at the end of the test.
  await h.delete("slow");
  await vi.advanceTimersByTimeAsync(12_000);
});

test("cron expressions in a time zone; replacing, listing, deleting; validation", async () => {
  const t = setupTest(registry);
  const h = t.client.jobs.getOrCreate("j");
  const info = await h.set({ name: "daily", expression: "30 9 * * *", action: "tick", timezone: "Europe/Paris" });
  expect(new Date(info.nextRunAt).toISOString()).toBe("2030-01-01T08:30:00.000Z");
  expect(info).toMatchObject({ kind: "cron", expression: "30 9 * * *", timezone: "Europe/Paris", maxHistory: 100 });
  // Same cadence, other args: the next run stays.
  const again = await h.set({ name: "daily", expression: "30 9 * * *", action: "tick", timezone: "Europe/Paris", args: [1] });
  expect(again.nextRunAt).toBe(info.nextRunAt);
  await h.every({ name: "often", interval: 5_000, action: "tick" });
  expect((await h.list()).map((j) => j.name)).toEqual(["daily", "often"]);
  expect(await h.delete("often")).toBe(true);
  expect(await h.delete("often")).toBe(false);
  await expect(h.set({ name: "x", expression: "* * *", action: "tick" })).rejects.toMatchObject({ code: "invalid_cron_expression" });
  await expect(h.set({ name: "x", expression: "0 * * * * *", action: "tick" })).rejects.toMatchObject({ code: "invalid_cron_expression" });
  await expect(h.set({ name: "x", expression: "0 * * * *", action: "tick", timezone: "Mars/Base" })).rejects.toMatchObject({
    code: "invalid_timezone",
  });
  await expect(h.every({ name: "x", interval: 1_000, action: "tick" })).rejects.toMatchObject({ code: "invalid_interval" });
  await expect(h.every({ name: "", interval: 5_000, action: "tick" })).rejects.toMatchObject({ code: "invalid_name" });
  await expect(h.every({ name: "x", interval: 5_000, action: "nope" })).rejects.toMatchObject({ code: "action_not_found" });
  await t.restart();
  expect((await h.get("daily"))?.args).toEqual([1]);
});

test("a cron job wakes a sleeping actor", async () => {
  const t = setupTest(registry);
  const h = t.client.jobs.getOrCreate("j");
  const id = await h.resolve();
  await h.set({ name: "minutely", expression: "* * * * *", action: "tick" });
  await vi.advanceTimersByTimeAsync(1_500);
  await vi.waitFor(() => expect(t.host.instances.has(id)).toBe(false));
  await vi.advanceTimersByTimeAsync(60_000);
  await vi.waitFor(async () => expect(await h.runs()).toBe(1));
});
