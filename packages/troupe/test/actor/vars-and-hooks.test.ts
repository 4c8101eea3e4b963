import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { expect, test } from "vitest";

const staticVars = actor({
  state: {},
  vars: { nested: { list: [1] } },
  actions: {
    push: (c, n: number) => c.vars.nested.list.push(n),
    list: (c) => c.vars.nested.list,
  },
});
let created = 0;
const dynamicVars = actor({
  state: {},
  createVars: () => ({ instance: ++created }),
  actions: { instance: (c) => c.vars.instance },
});
const stateChanges: Array<{ count: number }> = [];
const reentrant: unknown[] = [];
const watched = actor({
  state: { count: 0 },
  vars: { calls: 0, derived: 0 },
  onStateChange: (c, state) => {
    c.vars.calls++;
    c.vars.derived = state.count * 10;
    stateChanges.push({ count: state.count });
    if (state.count === 42) {
      try {
        c.state.count = 0;
      } catch (error) {
        reentrant.push(error);
      }
    }
  },
  actions: {
    many: (c, n: number) => {
      for (let i = 0; i < n; i++) c.state.count++;
    },
    set: (c, n: number) => {
      c.state.count = n;
    },
    read: (c) => c.state.count,
    vars: (c) => ({ ...c.vars }),
  },
});
const registry = setup({ use: { staticVars, dynamicVars, watched } });

test("static vars are deep-cloned per actor and not persisted", async () => {
  const t = setupTest(registry);
  const a = t.client.staticVars.getOrCreate("a");
  await a.push(2);
  expect(await a.list()).toEqual([1, 2]);
  expect(await t.client.staticVars.getOrCreate("b").list()).toEqual([1]);
  await t.sleep(await a.resolve());
  expect(await a.list()).toEqual([1]);
});

test("createVars runs for every instance", async () => {
  const t = setupTest(registry);
  const h = t.client.dynamicVars.getOrCreate("d");
  const first = await h.instance();
  await t.sleep(await h.resolve());
  expect(await h.instance()).toBe(first + 1);
  expect(await t.client.dynamicVars.getOrCreate("e").instance()).toBe(first + 2);
});

test("onStateChange runs once per burst of mutations; reads do not trigger it; vars writes do not recurse", async () => {
  const t = setupTest(registry);
  const h = t.client.watched.getOrCreate("w");
  await h.read();
  await new Promise((resolve) => setImmediate(resolve));
  expect((await h.vars()).calls).toBe(0);
  await h.many(100);
  await new Promise((resolve) => setImmediate(resolve));
  expect(await h.vars()).toEqual({ calls: 1, derived: 1000 });
  await h.many(1);
  await new Promise((resolve) => setImmediate(resolve));
  await h.many(1);
  await new Promise((resolve) => setImmediate(resolve));
  expect((await h.vars()).calls).toBe(3);
});

test("writing c.state inside onStateChange is actor.state_mutation_reentrant and is not applied", async () => {
  const t = setupTest(registry);
  const h = t.client.watched.getOrCreate("r");
  await h.set(42);
  await new Promise((resolve) => setImmediate(resolve));
  expect(reentrant[0]).toMatchObject({ group: "actor", code: "state_mutation_reentrant" });
  expect(await h.read()).toBe(42);
});
