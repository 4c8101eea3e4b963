// A queue deeper than a page: after a wake its stored messages are read a page at a time as takes
// reach them (features/queue/pending.ts), in FIFO order, before the messages sent since the wake,
// with names filters, completable deliveries and completion by id past the pages read so far.

import Database from "better-sqlite3";
import { actor, queue, setup } from "troupe";
import { setupTest } from "troupe/test";
import { expect, test } from "vitest";
import { encodeCbor } from "../../src/base/cbor.ts";
import { PAGE_SIZE } from "../../src/features/queue/pending.ts";
import { META_KEY } from "../../src/features/queue/records.ts";

/** More than two pages; every 100th message goes to queue "b", the others to "a". */
const DEPTH = 2 * PAGE_SIZE + 300;
const nameOf = (n: number) => (n % 100 === 99 ? "b" : "a");
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

const worker = actor({
  queues: { a: queue<number>(), b: queue<number>() },
  actions: {
    /** Sends in one commit; ids follow the order of the calls. */
    fill: async (c, count: number) => {
      await Promise.all(range(0, count).map((n) => c.queue.send(nameOf(n), n)));
    },
    take: async (c, count: number, names?: Array<"a" | "b">) => (await c.queue.tryNextBatch({ count, names })).map((m) => m.body),
    /** Takes one message completably and gives it back (the action ends without completing it). */
    holdOne: async (c, names: Array<"a" | "b">) => (await c.queue.tryNext({ names, completable: true }))?.id,
    size: (c) => c.queue.size(),
    send: async (c, name: "a" | "b", n: number) => (await c.queue.send(name, n)).id,
  },
  options: { maxQueueSize: 10_000 },
});
const registry = setup({ use: { worker } });

test("after a wake, takes read the backlog in FIFO order, before what was sent since, filters included", async () => {
  const t = setupTest(registry);
  const h = t.client.worker.getOrCreate("w");
  await h.fill(DEPTH);
  await t.sleep(await h.resolve());
  expect(await h.size()).toBe(DEPTH);
  await h.send("a", DEPTH);
  // Queue "a" a few at a time, one page boundary after another; the message sent after the wake last.
  const as = [...range(0, DEPTH).filter((n) => nameOf(n) === "a"), DEPTH];
  const taken: number[] = [];
  for (let batch = await h.take(7, ["a"]); batch.length > 0; batch = await h.take(7, ["a"])) taken.push(...batch);
  expect(taken).toEqual(as);
  // Queue "b": its messages were spread over every page.
  expect(await h.take(1_000, ["b"])).toEqual(range(0, DEPTH).filter((n) => nameOf(n) === "b"));
  expect(await h.size()).toBe(0);
});

test("a completable message past the first page is delivered again after a wake, in its place", async () => {
  const t = setupTest(registry);
  const h = t.client.worker.getOrCreate("w");
  await h.fill(DEPTH);
  const id = await h.resolve();
  await t.sleep(id);
  // The first "b" past the first page, given back: it stays first among the "b"s.
  await h.take(PAGE_SIZE + 1, ["a"]);
  const held = await h.holdOne(["b"]);
  expect(held).toBeDefined();
  await t.sleep(id);
  const bs = range(0, DEPTH).filter((n) => nameOf(n) === "b");
  expect(await h.take(1_000, ["b"])).toEqual(bs);
});

test("a queue stored before its count was kept is counted once at wake", async () => {
  const t = setupTest(registry);
  const h = t.client.worker.getOrCreate("w");
  await h.fill(DEPTH);
  const id = await h.resolve();
  await t.sleep(id);
  const db = new Database(t.storagePath!);
  db.prepare("UPDATE kv SET value = ? WHERE actor_id = ? AND key = ?").run(encodeCbor({ nextId: DEPTH + 1 }), id, META_KEY);
  db.close();
  expect(await h.size()).toBe(DEPTH);
  expect(await h.take(3)).toEqual([0, 1, 2]);
  await t.sleep(id);
  expect(await h.size()).toBe(DEPTH - 3);
});
