// `npm test`: each test gets its own runtime on a temporary SQLite database, removed afterwards.

import { setupTest } from "troupe/test";
import { expect, test } from "vitest";
import { registry } from "../src/registry.ts";

test("increment adds up, tells connections, and is still there after a restart", async () => {
  const t = setupTest(registry);
  const counter = t.client.counter.getOrCreate("a");
  const conn = counter.connect();
  const seen: number[] = [];
  conn.on("changed", (count) => seen.push(count));
  await conn.ready;

  expect(await conn.increment(2)).toBe(2);
  expect(await counter.increment(3)).toBe(5);
  await expect.poll(() => seen).toEqual([2, 5]);

  await conn.dispose();
  await t.restart(); // as if the process restarted: only what was saved is there
  expect(await counter.getCount()).toBe(5);
});
