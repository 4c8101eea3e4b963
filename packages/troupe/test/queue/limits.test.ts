import { actor, queue, type StandardSchemaV1, setup } from "troupe";
import { setupTest } from "troupe/test";
import { afterEach, beforeEach, expect, test, vi } from "vitest";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A tiny Standard Schema: a positive integer. */
const positive: StandardSchemaV1<unknown, number> = {
  "~standard": {
    version: 1,
    vendor: "test",
    validate: (value) =>
      typeof value === "number" && Number.isInteger(value) && value > 0
        ? { value }
        : { issues: [{ message: "expected a positive integer" }] },
  },
};

const guarded = actor({
  createConnState: (_c, params: { role: string } | undefined) => ({ role: params?.role ?? "guest" }),
  queues: {
    open: queue<string>(),
    admin: queue<string>({ canPublish: (c) => (c.conn.state as { role: string }).role === "admin" }),
    counts: queue({ message: positive }),
  },
  actions: {
    drain: async (c) => (await c.queue.tryNextBatch({ count: 10 })).map((m) => m.body),
  },
  options: { maxQueueSize: 3, maxQueueMessageSize: 64, queueIdempotencyTtl: 10_000 },
});
const registry = setup({ use: { guarded } });

test("a full queue rejects the next send with queue.full", async () => {
  const t = setupTest(registry);
  const h = t.client.guarded.getOrCreate("g");
  for (const body of ["a", "b", "c"]) await h.send("open", body);
  await expect(h.send("open", "d")).rejects.toMatchObject({ group: "queue", code: "full", message: "Queue is full. Limit is 3 messages." });
  expect(await h.drain()).toEqual(["a", "b", "c"]);
});

test("a message over maxQueueMessageSize is rejected with queue.message_too_large", async () => {
  const t = setupTest(registry);
  const h = t.client.guarded.getOrCreate("g");
  await expect(h.send("open", "x".repeat(200))).rejects.toMatchObject({ group: "queue", code: "message_too_large" });
  expect(await h.drain()).toEqual([]);
});

test("canPublish sees the sender's connection; false is auth.forbidden", async () => {
  const t = setupTest(registry);
  await expect(t.client.guarded.getOrCreate("g").send("admin", "hi")).rejects.toMatchObject({ group: "auth", code: "forbidden" });
  await t.client.guarded.getOrCreate("g", { params: { role: "admin" } }).send("admin", "stateless");
  const conn = t.client.guarded.getOrCreate("g", { params: { role: "admin" } }).connect();
  await conn.send("admin", "connected");
  const guest = t.client.guarded.getOrCreate("g").connect();
  await expect(guest.queue.admin.send("nope")).rejects.toMatchObject({ group: "auth", code: "forbidden" });
  expect(await t.client.guarded.getOrCreate("g").drain()).toEqual(["stateless", "connected"]);
  await conn.dispose();
  await guest.dispose();
});

test("an undeclared queue name is queue.not_found; the default queue always exists", async () => {
  const t = setupTest(registry);
  const h = t.client.guarded.getOrCreate("g");
  await expect(h.send("nope" as "open", "x")).rejects.toMatchObject({ group: "queue", code: "not_found" });
  await h.queue.send("to default");
  expect(await h.drain()).toEqual(["to default"]);
});

test("a message that fails its schema is actor.validation_error and is not enqueued", async () => {
  const t = setupTest(registry);
  const h = t.client.guarded.getOrCreate("g");
  await expect(h.send("counts", -1)).rejects.toMatchObject({ group: "actor", code: "validation_error" });
  await h.send("counts", 2);
  expect(await h.drain()).toEqual([2]);
});

test("a repeated idempotency key enqueues once within queueIdempotencyTtl, also after a restart", async () => {
  const t = setupTest(registry);
  const h = t.client.guarded.getOrCreate("g");
  await h.send("open", "first", { idempotencyKey: "k1" });
  await h.send("open", "again", { idempotencyKey: "k1" });
  await t.restart();
  await h.send("open", "after restart", { idempotencyKey: "k1" });
  expect(await h.drain()).toEqual(["first"]);
  await vi.advanceTimersByTimeAsync(10_001);
  await h.send("open", "later", { idempotencyKey: "k1" });
  expect(await h.drain()).toEqual(["later"]);
});
