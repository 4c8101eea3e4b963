import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { expect, test } from "vitest";

const inputs: unknown[] = [];
const counter = actor({
  createState: (_c, input: { start: number } | undefined) => {
    inputs.push(input);
    return { count: input?.start ?? 0, input };
  },
  onCreate: (_c, input) => {
    inputs.push(input);
  },
  actions: {
    increment: (c) => ++c.state.count,
    get: (c) => c.state.count,
    key: (c) => c.key,
    id: (c) => c.actorId,
    name: (c) => c.name,
    input: (c) => c.state.input,
  },
});
const registry = setup({ use: { counter } });

test('"k" and ["k"] are the same key; no key, [] and undefined are the same actor', async () => {
  const t = setupTest(registry);
  await t.client.counter.getOrCreate("k").increment();
  expect(await t.client.counter.getOrCreate(["k"]).get()).toBe(1);
  await t.client.counter.getOrCreate().increment();
  expect(await t.client.counter.getOrCreate([]).get()).toBe(1);
  expect(await t.client.counter.getOrCreate(undefined).get()).toBe(1);
});

test("keys match exactly on the whole array", async () => {
  const t = setupTest(registry);
  const full = t.client.counter.getOrCreate(["match", "test", "us-east"]);
  for (let i = 0; i < 10; i++) await full.increment();
  expect(await t.client.counter.getOrCreate(["match", "test"]).get()).toBe(0);
  expect(await t.client.counter.getOrCreate(["match"]).get()).toBe(0);
  expect(await full.get()).toBe(10);
});

test("c.key, c.name and c.actorId describe the actor; key parts may hold slashes", async () => {
  const t = setupTest(registry);
  const h = t.client.counter.getOrCreate(["tenant/with/slash", "room"]);
  expect(await h.key()).toEqual(["tenant/with/slash", "room"]);
  expect(await h.name()).toBe("counter");
  expect(await h.id()).toBe(await h.resolve());
  expect(await t.client.counter.getOrCreate("other").id()).not.toBe(await h.id());
});

test("get on a missing key is actor.not_found; after getOrCreate it finds the actor", async () => {
  const t = setupTest(registry);
  await expect(t.client.counter.get("missing").resolve()).rejects.toMatchObject({ group: "actor", code: "not_found" });
  await t.client.counter.getOrCreate("missing").increment();
  expect(await t.client.counter.get("missing").get()).toBe(1);
  await t.restart();
  expect(await t.client.counter.get("missing").get()).toBe(1);
});

test("create twice with one key is actor.duplicate_key; the first stays usable", async () => {
  const t = setupTest(registry);
  const first = await t.client.counter.create("dup");
  await first.increment();
  await expect(t.client.counter.create("dup")).rejects.toMatchObject({ group: "actor", code: "duplicate_key" });
  await t.restart();
  await expect(t.client.counter.create("dup")).rejects.toMatchObject({ code: "duplicate_key" });
  expect(await first.get()).toBe(1);
});

test("create input reaches createState and onCreate; getOrCreate input only applies on creation", async () => {
  const t = setupTest(registry);
  inputs.length = 0;
  await (await t.client.counter.create("in", { input: { start: 7 } })).get();
  expect(inputs).toEqual([{ start: 7 }, { start: 7 }]);
  inputs.length = 0;
  const h = t.client.counter.getOrCreate("goc", { createWithInput: { start: 3 } });
  expect(await h.get()).toBe(3);
  expect(await t.client.counter.getOrCreate("goc", { createWithInput: { start: 100 } }).get()).toBe(3);
  expect(inputs).toEqual([{ start: 3 }, { start: 3 }]);
  inputs.length = 0;
  expect(await (await t.client.counter.create("none")).input()).toBeUndefined();
  expect(inputs).toEqual([undefined, undefined]);
});

test("getForId reaches the same actor; an unknown id is actor.not_found", async () => {
  const t = setupTest(registry);
  const h = t.client.counter.getOrCreate("byid");
  await h.increment();
  const id = await h.resolve();
  expect(await t.client.counter.getForId(id).get()).toBe(1);
  await expect(t.client.counter.getForId("nope").get()).rejects.toMatchObject({ code: "not_found" });
});

test("oversized keys are rejected with actor.key_too_large before anything is created", async () => {
  const t = setupTest(registry);
  expect(() => t.client.counter.getOrCreate("x".repeat(129))).toThrow(expect.objectContaining({ code: "key_too_large" }));
  expect(() => t.client.counter.getOrCreate(Array.from({ length: 9 }, () => "y".repeat(120)))).toThrow(
    expect.objectContaining({ group: "actor", code: "key_too_large" }),
  );
  expect(() => t.client.counter.getOrCreate([1 as unknown as string])).toThrow(expect.objectContaining({ code: "invalid_key" }));
  expect(t.host.instances.size).toBe(0);
});

test("an unregistered actor name is actor.not_registered", async () => {
  const t = setupTest(registry);
  const client = t.client as unknown as Record<string, { getOrCreate(k: string): { resolve(): Promise<string> } }>;
  await expect(client.nope?.getOrCreate("a").resolve()).rejects.toMatchObject({ group: "actor", code: "not_registered" });
});

test("concurrent getOrCreate calls for one new key create exactly one actor", async () => {
  const t = setupTest(registry);
  const ids = await Promise.all(Array.from({ length: 20 }, () => t.client.counter.getOrCreate("race").resolve()));
  expect(new Set(ids).size).toBe(1);
  await Promise.all(Array.from({ length: 20 }, () => t.client.counter.getOrCreate("race2").increment()));
  expect(await t.client.counter.get("race2").get()).toBe(20);
});
