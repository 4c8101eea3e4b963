import { actor, queue, setup } from "troupe";
import { setupTest } from "troupe/test";
import { expect, test } from "vitest";

const inbox = actor({
  queues: {
    a: queue<number>(),
    b: queue<number>(),
    c: queue<number>(),
    jobs: queue<{ n: number }, { doubled: number }>(),
  },
  actions: {
    next: async (c, names?: Array<"a" | "b" | "c">) => {
      const m = await c.queue.next({ names, timeout: 10 });
      return m && { name: m.name, body: m.body };
    },
    batch: async (c, count: number, names?: Array<"a" | "b" | "c">) =>
      (await c.queue.nextBatch({ names, count, timeout: 10 })).map((m) => [m.name, m.body]),
    tryBatch: async (c, count: number) => (await c.queue.tryNextBatch({ count })).map((m) => m.body),
    size: (c) => c.queue.size(),
    selfSend: async (c, n: number) => (await c.queue.send("a", n)).id,
  },
});
const registry = setup({ use: { inbox } });

test("messages are received in FIFO order across the selected queues", async () => {
  const t = setupTest(registry);
  const h = t.client.inbox.getOrCreate("x");
  await h.send("a", 1);
  await h.send("b", 2);
  await h.send("c", 3);
  await h.queue.a.send(4);
  expect(await h.batch(2, ["a", "b"])).toEqual([
    ["a", 1],
    ["b", 2],
  ]);
  expect(await h.next()).toEqual({ name: "c", body: 3 });
  expect(await h.next(["b", "c"])).toBeUndefined();
  expect(await h.next()).toEqual({ name: "a", body: 4 });
  expect(await h.size()).toBe(0);
  expect(await h.tryBatch(5)).toEqual([]);
});

test("a message sent to a sleeping actor wakes it and survives restarts", async () => {
  const t = setupTest(registry);
  const h = t.client.inbox.getOrCreate("x");
  const id = await h.resolve();
  await h.send("a", 1);
  await t.sleep(id);
  expect(t.host.instances.has(id)).toBe(false);
  await h.send("b", 2);
  expect(t.host.instances.has(id)).toBe(true);
  await t.restart();
  expect(await h.tryBatch(5)).toEqual([1, 2]);
});

test("ids increase across sleeps, so FIFO order holds", async () => {
  const t = setupTest(registry);
  const h = t.client.inbox.getOrCreate("x");
  const first = await h.selfSend(1);
  await t.sleep(await h.resolve());
  const second = await h.selfSend(2);
  expect(second).toBeGreaterThan(first);
  expect(await h.tryBatch(5)).toEqual([1, 2]);
});
