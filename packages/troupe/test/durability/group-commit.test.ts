// How writers are gathered into one commit (host/commit-queue.ts), seen through a real SQLite driver.

import { join } from "node:path";
import { pino } from "pino";
import { actor, SqliteDriver, setup } from "troupe";
import { expect, test } from "vitest";
import { tempDir } from "../support/temp-dir.ts";
import { gated } from "./gated-driver.ts";

/** Resolves after `turns` turns of the event loop. */
const turnsLater = (turns: number): Promise<void> =>
  new Promise((resolve) => (turns === 0 ? resolve() : setImmediate(() => void turnsLater(turns - 1).then(resolve))));

const counter = actor({
  state: { count: 0 },
  actions: {
    /** Writes `turns` turns of the event loop after it is called. */
    increment: async (c, turns: number) => {
      await turnsLater(turns);
      return ++c.state.count;
    },
  },
});
const registry = setup({ use: { counter } });

/** Calls one actor per entry of `turns` at once, each writing that many turns later: the size of each commit. */
async function commitSizes(turns: number[]): Promise<number[]> {
  const driver = gated(new SqliteDriver({ path: join(tempDir("troupe-group-commit-"), "troupe.db") }));
  const runtime = registry.createRuntime(driver, pino({ level: "silent" }));
  try {
    const handles = turns.map((_, i) => runtime.client.counter.getOrCreate([`c${i}`]));
    for (const handle of handles) await handle.increment(0);
    driver.commits.length = 0;
    await Promise.all(handles.map((handle, i) => handle.increment(turns[i] as number)));
    return driver.commits.map((group) => group.length);
  } finally {
    await runtime.shutdown();
  }
}

test("writers that keep arriving over the next turns join the group that several writers opened", async () => {
  expect(await commitSizes([0, 0, 2])).toEqual([3]);
});

test("a lone writer is committed without waiting for a later one", async () => {
  expect(await commitSizes([0, 3])).toEqual([1, 1]);
});

test("a group does not wait for ever while writers keep arriving", async () => {
  const sizes = await commitSizes([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(sizes.length).toBeGreaterThan(1);
  expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(12);
});
