import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { afterEach, beforeEach, expect, test, vi } from "vitest";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Counters kept outside the actor, so they count across sleeps. */
const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});

const consumer = actor({
  state: { got: [] as string[] },
  onWake: () => {
    log.push("wake");
  },
  onSleep: () => {
    log.push("sleep");
  },
  run: async (c) => {
    log.push("run");
    for await (const m of c.queue.iter()) c.state.got.push(m.body as string);
    log.push(c.aborted ? "run ended by abort" : "run ended");
  },
  actions: { got: (c) => c.state.got },
  options: { sleepTimeout: 1_000 },
});

const ticker = actor({
  state: { ticks: 0 },
  run: async (c) => {
    while (!c.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      c.state.ticks++;
    }
  },
  actions: { ticks: (c) => c.state.ticks },
  options: { sleepTimeout: 1_000 },
});

const finite = actor({
  onSleep: () => {
    log.push("sleep");
  },
  run: async (c) => {
    log.push("run");
    await c.queue.next({ timeout: 50 });
    if (c.key[0] === "throws") throw new Error("run failed");
  },
  actions: { ping: () => "pong" },
});

const registry = setup({ use: { consumer, ticker, finite } });

test("run consumes the queue in order; waiting on it counts as idle, and a new message wakes the actor", async () => {
  const t = setupTest(registry);
  const h = t.client.consumer.getOrCreate("c");
  const id = await h.resolve();
  await h.send("default", "a");
  await h.queue.send("b");
  await vi.advanceTimersByTimeAsync(0);
  expect(await h.got()).toEqual(["a", "b"]);
  await vi.advanceTimersByTimeAsync(1_001);
  await vi.waitFor(() => expect(t.host.instances.has(id)).toBe(false));
  expect(log).toEqual(["wake", "run", "sleep", "run ended by abort"]);
  await h.queue.send("c");
  await vi.advanceTimersByTimeAsync(0);
  expect(t.host.instances.has(id)).toBe(true);
  expect(await h.got()).toEqual(["a", "b", "c"]);
  expect(log.slice(4)).toEqual(["wake", "run"]);
});

test("a run loop that is working keeps the actor awake past sleepTimeout", async () => {
  const t = setupTest(registry);
  const h = t.client.ticker.getOrCreate("t");
  const id = await h.resolve();
  await vi.advanceTimersByTimeAsync(5_000);
  expect(t.host.instances.has(id)).toBe(true);
  expect(await h.ticks()).toBeGreaterThanOrEqual(49);
  // The loop notices the abort at its next tick.
  const slept = t.sleep(id);
  await vi.advanceTimersByTimeAsync(100);
  await slept;
  expect(t.host.instances.has(id)).toBe(false);
});

test.each(["returns", "throws"])("a run handler that %s puts the actor to sleep", async (key) => {
  const t = setupTest(registry);
  const h = t.client.finite.getOrCreate(key);
  const id = await h.resolve();
  await vi.advanceTimersByTimeAsync(100);
  await vi.waitFor(() => expect(t.host.instances.has(id)).toBe(false));
  expect(log).toEqual(["run", "sleep"]);
  expect(await h.ping()).toBe("pong");
  expect(log[2]).toBe("run");
});

test("run must be a function or { run }", () => {
  expect(() => actor({ run: 5 as never })).toThrow(/`run` must be a function/);
});
