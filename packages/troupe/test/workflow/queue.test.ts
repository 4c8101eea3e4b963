import { actor, queue, setup } from "troupe";
import { db } from "troupe/db";
import { setupTest } from "troupe/test";
import { Loop, workflow } from "troupe/workflow";
import { afterEach, expect, test, vi } from "vitest";
import { entryStatus, history, untilStatus } from "./helpers.ts";
import { until } from "../support/until.ts";

afterEach(() => {
  vi.useRealTimers();
});

const handled: number[] = [];

const inbox = actor({
  state: { handled: [] as number[] },
  queues: { orders: queue<{ n: number }, { doubled: number }>(), other: queue<string>() },
  run: workflow(async (ctx) => {
    await ctx.loop("inbox", async (ctx) => {
      const message = await ctx.queue.next("order", { names: ["orders"], completable: true });
      const doubled = await ctx.step("handle", () => {
        handled.push(message.body.n);
        ctx.state.handled.push(message.body.n);
        return message.body.n * 2;
      });
      await message.complete?.({ doubled });
      if (message.body.n === 0) return Loop.break(undefined);
    });
  }),
  actions: { handled: (c) => c.state.handled, queued: (c) => c.queue.size() },
  options: { sleepTimeout: 100 },
});
const registry = setup({ use: { inbox } });

test("a workflow waits for queue messages while the actor sleeps; each message is handled once and completes its sender", async () => {
  handled.length = 0;
  const t = setupTest(registry);
  const h = t.client.inbox.getOrCreate(["q"]);
  const id = await h.resolve();
  // Waiting on the queue is idle: the actor falls asleep.
  await until("asleep while waiting", () => !t.host.instances.has(id));
  expect(await h.send("orders", { n: 21 }, { wait: true })).toEqual({ status: "completed", response: { doubled: 42 } });
  await h.send("other", "ignored");
  await h.send("orders", { n: 5 });
  await until("second order handled", async () => (await h.handled()).length === 2);
  await t.restart();
  await h.send("orders", { n: 0 });
  await untilStatus(t.host.driver, id, "completed");
  expect(await h.handled()).toEqual([21, 5, 0]);
  expect(handled).toEqual([21, 5, 0]);
  // Only the message for another queue is left.
  expect(await h.queued()).toBe(1);
});

const timed = actor({
  state: { got: [] as unknown[] },
  run: workflow(async (ctx) => {
    const first = await ctx.queue.next("first", { timeout: 60_000 });
    const second = await ctx.queue.next("second", { timeout: 60_000 });
    await ctx.step("save", () => {
      ctx.state.got = [first?.body, second?.body];
    });
  }),
  actions: { got: (c) => c.state.got },
});

test("a queue wait with a timeout keeps its deadline across sleeps and restarts", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  const t = setupTest(setup({ use: { timed } }));
  const h = t.client.timed.getOrCreate(["t"]);
  const id = await h.resolve();
  await until("waiting", async () => (await entryStatus(t.host.driver, id, "first")) === "waiting");
  await h.send("default", "hello");
  await until("second waiting", async () => (await entryStatus(t.host.driver, id, "second")) === "waiting");
  await vi.advanceTimersByTimeAsync(30_000);
  await t.sleep(id);
  await t.restart();
  await vi.advanceTimersByTimeAsync(30_000);
  const done = await untilStatus(t.host.driver, id, "completed");
  expect(await h.got()).toEqual(["hello", undefined]);
  const second = done.entries.find((e) => e.name === "second");
  expect(second?.output).toBeUndefined();
  expect((second?.completedAt ?? 0) - (second?.startedAt ?? 0)).toBe(60_000);
  expect((await history(t.host.driver, id)).entries.find((e) => e.name === "first")?.output).toMatchObject({
    name: "default",
    body: "hello",
  });
});

const greedy = actor({
  run: workflow(async (ctx) => {
    await ctx.queue.next("first", { completable: true });
    await ctx.queue.next("second");
  }),
  actions: { ping: () => true },
});

test("a completable message must be completed before the next queue wait (it would be received again)", async () => {
  const t = setupTest(setup({ use: { greedy } }));
  const h = t.client.greedy.getOrCreate(["g"]);
  const id = await h.resolve();
  await h.send("default", 1);
  const blocked = await untilStatus(t.host.driver, id, "blocked");
  expect(blocked.workflow.error).toMatchObject({ group: "queue", code: "previous_message_not_completed" });
});

// The database feature's stop hook runs before the workflow's: the queue wait that the stop
// cancels must not pass for work under way, or the actor keeps an alarm for "now" and wakes
// right after every sleep (it never stays asleep).
const ledger = actor({
  db: db(),
  run: workflow(async (ctx) => {
    await ctx.queue.next("first");
  }),
  options: { sleepTimeout: 100 },
});

test("a workflow waiting on its queue stays asleep, whatever features stop before it", async () => {
  const t = setupTest(setup({ use: { ledger } }));
  const h = t.client.ledger.getOrCreate(["l"]);
  const id = await h.resolve();
  await until("waiting", async () => (await entryStatus(t.host.driver, id, "first")) === "waiting");
  await t.sleep(id);
  expect(t.host.instances.has(id)).toBe(false);
  expect(await t.host.driver.nextAlarm()).toBeUndefined();
  // The same when it falls asleep on its own.
  await h.send("other", "wake up");
  await until("awake", () => t.host.instances.has(id));
  await until("asleep while waiting", () => !t.host.instances.has(id));
  expect(await t.host.driver.nextAlarm()).toBeUndefined();
});
