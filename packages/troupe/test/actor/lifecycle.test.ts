import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { afterEach, beforeEach, expect, test, vi } from "vitest";

const events: string[] = [];

const tracked = actor({
  createState: (_c, input: { start: number } | undefined) => {
    events.push("createState");
    return { count: input?.start ?? 0 };
  },
  createVars: () => {
    events.push("createVars");
    return { wakes: 0 };
  },
  onCreate: () => {
    events.push("onCreate");
  },
  onWake: (c) => {
    events.push("onWake");
    c.vars.wakes++;
  },
  onSleep: () => {
    events.push("onSleep");
  },
  onDestroy: () => {
    events.push("onDestroy");
  },
  actions: {
    increment: (c) => ++c.state.count,
    get: (c) => c.state.count,
    wakes: (c) => c.vars.wakes,
    sleepNow: (c) => c.sleep(),
    destroyNow: (c) => {
      c.destroy();
      return c.aborted;
    },
    hold: (c, promise: "keep" | "wait") => {
      let release!: () => void;
      const p = new Promise<void>((resolve) => {
        release = resolve;
      });
      if (promise === "keep") c.keepAwake(p);
      else c.waitUntil(p);
      (c.vars as { release?: () => void }).release = release;
    },
    release: (c) => (c.vars as { release?: () => void }).release?.(),
  },
  options: { sleepTimeout: 1_000 },
});

const noSleep = actor({ state: {}, actions: { ping: () => "pong" }, options: { sleepTimeout: 10, noSleep: true } });

const registry = setup({ use: { tracked, noSleep } });

beforeEach(() => {
  events.length = 0;
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test("create runs createState, onCreate, createVars, onWake in that order; wake runs createVars, onWake", async () => {
  const t = setupTest(registry);
  const handle = t.client.tracked.getOrCreate("a", { createWithInput: { start: 5 } });
  expect(await handle.increment()).toBe(6);
  expect(events).toEqual(["createState", "onCreate", "createVars", "onWake"]);
  events.length = 0;
  await t.sleep(await handle.resolve());
  expect(events).toEqual(["onSleep"]);
  events.length = 0;
  expect(await handle.get()).toBe(6);
  expect(events).toEqual(["createVars", "onWake"]);
});

test("an idle actor sleeps after sleepTimeout and wakes on the next call", async () => {
  const t = setupTest(registry);
  const handle = t.client.tracked.getOrCreate("idle");
  await handle.increment();
  const id = await handle.resolve();
  await vi.advanceTimersByTimeAsync(999);
  expect(t.host.instances.has(id)).toBe(true);
  await vi.advanceTimersByTimeAsync(2);
  await vi.waitFor(() => expect(t.host.instances.has(id)).toBe(false));
  expect(events).toContain("onSleep");
  expect(await handle.wakes()).toBe(1);
  expect(await handle.get()).toBe(1);
});

test("activity resets the idle timer", async () => {
  const t = setupTest(registry);
  const handle = t.client.tracked.getOrCreate("busy");
  const id = await handle.resolve();
  for (let i = 0; i < 5; i++) {
    await vi.advanceTimersByTimeAsync(800);
    await handle.increment();
  }
  expect(t.host.instances.has(id)).toBe(true);
  expect(events).not.toContain("onSleep");
});

test("noSleep keeps an actor awake", async () => {
  const t = setupTest(registry);
  const handle = t.client.noSleep.getOrCreate("x");
  await handle.ping();
  await vi.advanceTimersByTimeAsync(60_000);
  expect(t.host.instances.has(await handle.resolve())).toBe(true);
});

test("keepAwake blocks sleep until the promise settles; waitUntil does not", async () => {
  const t = setupTest(registry);
  const kept = t.client.tracked.getOrCreate("kept");
  await kept.hold("keep");
  const keptId = await kept.resolve();
  await vi.advanceTimersByTimeAsync(5_000);
  expect(t.host.instances.has(keptId)).toBe(true);
  await kept.release();
  await vi.advanceTimersByTimeAsync(1_001);
  await vi.waitFor(() => expect(t.host.instances.has(keptId)).toBe(false));

  const waited = t.client.tracked.getOrCreate("waited");
  await waited.hold("wait");
  const waitedId = await waited.resolve();
  await vi.advanceTimersByTimeAsync(1_001);
  // Sleep has begun (onSleep ran) but the instance waits for the waitUntil promise.
  await vi.waitFor(() => expect(events.filter((e) => e === "onSleep")).toHaveLength(2));
  expect(t.host.instances.has(waitedId)).toBe(true);
  const waitedVars = t.host.instances.get(waitedId)?.vars as { release: () => void };
  waitedVars.release();
  await vi.waitFor(() => expect(t.host.instances.has(waitedId)).toBe(false));
});

test("c.sleep() stops the actor after the call; the next call wakes it", async () => {
  const t = setupTest(registry);
  const handle = t.client.tracked.getOrCreate("s");
  await handle.increment();
  await handle.sleepNow();
  const id = await handle.resolve();
  await vi.waitFor(() => expect(t.host.instances.has(id)).toBe(false));
  expect(await handle.wakes()).toBe(1);
  expect(events.filter((e) => e === "onWake")).toHaveLength(2);
});

test("destroy runs onDestroy, deletes the data and frees the key", async () => {
  const t = setupTest(registry);
  const handle = t.client.tracked.getOrCreate("d");
  await handle.increment();
  const id = await handle.resolve();
  expect(await handle.destroyNow()).toBe(false); // c.aborted stays false in the calling action
  await vi.waitFor(() => expect(events).toContain("onDestroy"));
  await vi.waitFor(() => expect(t.host.instances.has(id)).toBe(false));
  await expect(t.client.tracked.getForId(id).get()).rejects.toMatchObject({ group: "actor", code: "not_found" });
  await expect(t.client.tracked.get("d").get()).rejects.toMatchObject({ code: "not_found" });
  const fresh = t.client.tracked.getOrCreate("d");
  expect(await fresh.get()).toBe(0);
  expect(await fresh.resolve()).not.toBe(id);
  await t.restart();
  expect(await t.client.tracked.getOrCreate("d").get()).toBe(0);
});

test("a key-based handle follows its key after the actor is destroyed", async () => {
  const t = setupTest(registry);
  const handle = t.client.tracked.getOrCreate("follow");
  await handle.increment();
  await handle.destroyNow();
  await vi.waitFor(() => expect(events).toContain("onDestroy"));
  expect(await handle.get()).toBe(0);
});

test("abortSignal fires when the actor starts to stop", async () => {
  const signals: AbortSignal[] = [];
  const watcher = actor({
    state: {},
    actions: {
      watch: (c) => {
        signals.push(c.abortSignal);
        return c.aborted;
      },
    },
  });
  const t = setupTest(setup({ use: { watcher } }));
  const handle = t.client.watcher.getOrCreate("w");
  expect(await handle.watch()).toBe(false);
  await t.sleep(await handle.resolve());
  expect(signals[0]?.aborted).toBe(true);
});

test("a creation whose onCreate fails leaves no actor behind, even after awaiting a write", async () => {
  vi.useRealTimers();
  let fail = true;
  const fragile = actor({
    state: { created: 0 },
    onCreate: async (c) => {
      c.state.created++;
      await c.saveState({ immediate: true });
      if (fail) throw new Error("onCreate failed");
    },
    actions: { created: (c) => c.state.created },
  });
  const t = setupTest(setup({ use: { fragile } }));
  await expect(t.client.fragile.getOrCreate("f").created()).rejects.toMatchObject({ code: "internal_error" });
  await expect(t.client.fragile.get("f").resolve()).rejects.toMatchObject({ code: "not_found" });
  await t.restart();
  await expect(t.client.fragile.get("f").resolve()).rejects.toMatchObject({ code: "not_found" });
  fail = false;
  expect(await t.client.fragile.getOrCreate("f").created()).toBe(1);
});
