import { actor, setup, UserError } from "troupe";
import { setupTest } from "troupe/test";
import { expect, test } from "vitest";

const counter = actor({
  state: { count: 0 },
  actions: {
    increment: (c, by: number) => {
      c.state.count += by;
      c.broadcast("changed", c.state.count);
      return c.state.count;
    },
    get: (c) => c.state.count,
    fail: () => {
      throw new UserError("nope", { code: "bad", metadata: { a: 1 } });
    },
    nested: { add: (c, x: number) => (c.state.count += x) },
  },
});
const registry = setup({ use: { counter } });

test("smoke", async () => {
  const t = setupTest(registry);
  const h = t.client.counter.getOrCreate(["a"]);
  expect(await h.increment(2)).toBe(2);
  expect(await h.nested.add(3)).toBe(5);
  await expect(h.fail()).rejects.toMatchObject({ group: "user", code: "bad", metadata: { a: 1 } });
  const conn = h.connect();
  const seen: unknown[] = [];
  conn.on("changed", (n) => seen.push(n));
  await conn.ready;
  await conn.increment(1);
  expect(seen).toEqual([6]);
  const id = await h.resolve();
  await t.sleep(id);
  expect(t.host.instances.has(id)).toBe(false);
  expect(await h.get()).toBe(6);
  await t.restart();
  expect(await h.get()).toBe(6);
  await conn.dispose();
});
