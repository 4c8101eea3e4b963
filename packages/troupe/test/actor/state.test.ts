import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { expect, test } from "vitest";

const store = actor({
  state: {
    count: 0,
    tags: new Set<string>(),
    users: new Map<string, { name: string; visits: number }>(),
    when: new Date(0),
    bytes: new Uint8Array(4),
    big: 0n,
    nested: { deep: { list: [] as number[] } },
  },
  actions: {
    mutate: (c) => {
      c.state.count++;
      c.state.tags.add("a");
      c.state.users.set("u1", { name: "Ada", visits: 0 });
      c.state.when.setTime(1000);
      c.state.bytes[1] = 7;
      c.state.big += 10n ** 20n;
      c.state.nested.deep.list.push(1, 2, 3);
    },
    visit: (c) => {
      const user = c.state.users.get("u1");
      if (user) user.visits++;
      return user?.visits;
    },
    snapshot: (c) => c.state,
    identity: (c) => {
      const first = c.state;
      const nested = c.state.nested;
      return first === c.state && nested === c.state.nested;
    },
    storeFunction: (c) => {
      (c.state.nested as Record<string, unknown>).fn = () => 1;
    },
    storeDeepBad: (c) => {
      c.state.nested.deep.list = [1, { bad: Symbol("x") }] as unknown as number[];
    },
    storeClass: (c) => {
      (c.state as Record<string, unknown>).url = new URL("http://x");
    },
    storeCycle: (c) => {
      const a: Record<string, unknown> = {};
      a.self = a;
      (c.state as Record<string, unknown>).cycle = a;
    },
    replace: (c) => {
      c.state = { ...c.state, count: 100 };
    },
    remove: (c) => {
      delete (c.state.nested as Partial<typeof c.state.nested>).deep;
    },
  },
});
const stateless = actor({ actions: { read: (c) => c.state, ping: () => "pong" } });
const registry = setup({ use: { store, stateless } });

test("every kind of mutation is tracked and persisted across sleep and restart", async () => {
  const t = setupTest(registry);
  const h = t.client.store.getOrCreate("s");
  await h.mutate();
  expect(await h.visit()).toBe(1);
  const expected = {
    count: 1,
    tags: new Set(["a"]),
    users: new Map([["u1", { name: "Ada", visits: 1 }]]),
    when: new Date(1000),
    bytes: new Uint8Array([0, 7, 0, 0]),
    big: 10n ** 20n,
    nested: { deep: { list: [1, 2, 3] } },
  };
  expect(await h.snapshot()).toEqual(expected);
  await t.sleep(await h.resolve());
  expect(await h.snapshot()).toEqual(expected);
  await t.restart();
  expect(await h.snapshot()).toEqual(expected);
});

test("c.state is the same proxy on every access", async () => {
  const t = setupTest(registry);
  expect(await t.client.store.getOrCreate("i").identity()).toBe(true);
});

test("values that cannot be serialized are rejected at the mutation, naming the path", async () => {
  const t = setupTest(registry);
  const h = t.client.store.getOrCreate("bad");
  // Thrown inside actor code as a non-public error, the caller sees internal_error; the path is in the message actor code sees.
  await expect(h.storeFunction()).rejects.toMatchObject({
    code: "state_not_serializable",
    message: expect.stringContaining("state.nested.fn is a function"),
  });
  await expect(h.storeDeepBad()).rejects.toMatchObject({ message: expect.stringContaining("state.nested.deep.list[1].bad is a symbol") });
  await expect(h.storeClass()).rejects.toMatchObject({ message: expect.stringContaining("instance of URL") });
  await expect(h.storeCycle()).rejects.toMatchObject({ message: expect.stringContaining("circular") });
  const snapshot = (await h.snapshot()) as Record<string, unknown>;
  expect(snapshot.url).toBeUndefined();
  expect(snapshot.cycle).toBeUndefined();
  expect(snapshot.nested).toEqual({ deep: { list: [] } });
});

test("replacing c.state and deleting keys are persisted", async () => {
  const t = setupTest(registry);
  const h = t.client.store.getOrCreate("r");
  await h.replace();
  await h.remove();
  await t.restart();
  const snapshot = (await h.snapshot()) as { count: number; nested: unknown };
  expect(snapshot.count).toBe(100);
  expect(snapshot.nested).toEqual({});
});

test("an actor without state works, and c.state throws an error that mentions state", async () => {
  const t = setupTest(registry);
  const h = t.client.stateless.getOrCreate("x");
  expect(await h.ping()).toBe("pong");
  await expect(h.read()).rejects.toMatchObject({ code: "internal_error" });
  await t.restart();
  expect(await t.client.stateless.get("x").ping()).toBe("pong");
});
