import { actor, queue, setup } from "troupe";
import { setupTest } from "troupe/test";
import { afterEach, beforeEach, expect, test, vi } from "vitest";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const worker = actor({
  state: { seen: [] as Array<[number, number]> },
  queues: { jobs: queue<{ n: number }, { doubled: number }>() },
  actions: {
    /** Receives one job completably; completes it only when asked. */
    take: async (c, complete: boolean) => {
      const m = await c.queue.next({ names: ["jobs"], completable: true, timeout: 0 });
      if (!m) return undefined;
      c.state.seen.push([m.body.n, m.attempts]);
      if (complete) await m.complete({ doubled: m.body.n * 2 });
      return { n: m.body.n, attempts: m.attempts };
    },
    takeTwice: async (c) => {
      await c.queue.next({ completable: true, timeout: 0 });
      await c.queue.next({ completable: true, timeout: 0 });
    },
    completeTwice: async (c) => {
      const m = await c.queue.next({ completable: true, timeout: 0 });
      await m?.complete({ doubled: 0 });
      await m?.complete({ doubled: 0 });
    },
    plain: async (c) => (await c.queue.next({ timeout: 0 }))?.body,
    dead: (c) => c.queue.deadLetters.list(),
    replay: (c) => c.queue.deadLetters.replay(),
    deleteDead: (c) => c.queue.deadLetters.delete(),
    size: (c) => c.queue.size(),
  },
  options: { maxQueueDeliveries: 2 },
});
const registry = setup({ use: { worker } });

test("a sender waiting with { wait: true } gets the completion response", async () => {
  const t = setupTest(registry);
  const h = t.client.worker.getOrCreate("w");
  const result = h.send("jobs", { n: 21 }, { wait: true, timeout: 5_000 });
  await vi.advanceTimersByTimeAsync(0);
  expect(await h.take(true)).toEqual({ n: 21, attempts: 1 });
  expect(await result).toEqual({ status: "completed", response: { doubled: 42 } });
  expect(await h.size()).toBe(0);
});

test("a waiting sender times out when nobody completes the message; the message stays", async () => {
  const t = setupTest(registry);
  const h = t.client.worker.getOrCreate("w");
  // Created first: the creation's commit takes a real I/O turn, which advancing the fake clock does not wait for.
  await h.resolve();
  const result = h.queue.jobs.send({ n: 1 }, { wait: true, timeout: 1_000 });
  let settled = false;
  void result.then(() => (settled = true));
  await vi.advanceTimersByTimeAsync(999);
  expect(settled).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(await result).toEqual({ status: "timedOut" });
  expect(await h.size()).toBe(1);
});

test("a plain receive removes the message and completes a waiting sender without a response", async () => {
  const t = setupTest(registry);
  const h = t.client.worker.getOrCreate("w");
  const result = h.send("jobs", { n: 3 }, { wait: true });
  await vi.advanceTimersByTimeAsync(0);
  expect(await h.plain()).toEqual({ n: 3 });
  expect(await result).toEqual({ status: "completed" });
  expect(await h.plain()).toBeUndefined();
});

test("an uncompleted message is redelivered to the next receive, with its attempts counted", async () => {
  const t = setupTest(registry);
  const h = t.client.worker.getOrCreate("w");
  await h.send("jobs", { n: 1 });
  await h.send("jobs", { n: 2 });
  expect(await h.take(false)).toEqual({ n: 1, attempts: 1 });
  expect(await h.take(true)).toEqual({ n: 1, attempts: 2 });
  expect(await h.take(true)).toEqual({ n: 2, attempts: 1 });
  expect(await h.take(true)).toBeUndefined();
});

test("receiving again before completing, or completing twice, is an error", async () => {
  const t = setupTest(registry);
  const h = t.client.worker.getOrCreate("w");
  await h.send("jobs", { n: 1 });
  await h.send("jobs", { n: 2 });
  await expect(h.takeTwice()).rejects.toMatchObject({ group: "queue", code: "previous_message_not_completed" });
  await expect(h.completeTwice()).rejects.toMatchObject({ group: "queue", code: "already_completed" });
});

test("after maxQueueDeliveries failed deliveries a message is dead-lettered; it can be replayed or deleted", async () => {
  const t = setupTest(registry);
  const h = t.client.worker.getOrCreate("w");
  const waiting = h.send("jobs", { n: 7 }, { wait: true });
  const failure = expect(waiting).rejects.toMatchObject({ group: "queue", code: "dead_lettered" });
  await vi.advanceTimersByTimeAsync(0);
  await h.send("jobs", { n: 8 });
  expect(await h.take(false)).toEqual({ n: 7, attempts: 1 });
  expect(await h.take(false)).toEqual({ n: 7, attempts: 2 });
  await failure;
  // The dead letter no longer blocks the queue.
  expect(await h.take(true)).toEqual({ n: 8, attempts: 1 });
  expect(await h.dead()).toMatchObject([{ name: "jobs", body: { n: 7 }, attempts: 2 }]);
  expect(await h.replay()).toBe(1);
  expect(await h.dead()).toEqual([]);
  expect(await h.take(false)).toEqual({ n: 7, attempts: 1 });
  expect(await h.take(false)).toEqual({ n: 7, attempts: 2 });
  expect(await h.deleteDead()).toBe(1);
  expect(await h.size()).toBe(0);
});

test("a message received but not completed before a crash is delivered again after it", async () => {
  const t = setupTest(registry);
  const h = t.client.worker.getOrCreate("w");
  await h.send("jobs", { n: 5 });
  // Received in an action that never completes it, then the process dies.
  expect(await h.take(false)).toEqual({ n: 5, attempts: 1 });
  await t.crash();
  expect(await h.take(true)).toEqual({ n: 5, attempts: 2 });
  await t.restart();
  expect(await h.size()).toBe(0);
});
