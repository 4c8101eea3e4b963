// getOrCreate answers with an id only once the new actor is durable: an id a process gave out
// before it was SIGKILLed still names that actor afterwards, with its creation input.

import { join } from "node:path";
import { pino } from "pino";
import { actor, SqliteDriver, setup } from "troupe";
import { expect, onTestFinished, test } from "vitest";
import { runUntilKilled } from "../support/child-process.ts";
import { tempDir } from "../support/temp-dir.ts";

const child = join(import.meta.dirname, "fixtures", "create-child.ts");
const doc = actor({
  createState: (_c, input: { n: number }) => ({ input }),
  actions: { input: (c) => c.state.input },
});
const registry = setup({ use: { doc } });

test("every id getOrCreate gave out before a SIGKILL names its actor afterwards, with its input", { timeout: 120_000 }, async () => {
  const path = join(tempDir("troupe-create-crash-"), "troupe.db");
  const given: Array<[string, string]> = [];
  for (let cycle = 0; cycle < 4; cycle++) {
    let seen = 0;
    const killAfter = 1 + Math.floor(Math.random() * 200);
    const lines = await runUntilKilled(child, [path, `r${cycle}-`], (line) => line.startsWith("id ") && ++seen >= killAfter);
    for (const line of lines.filter((l) => l.startsWith("id "))) {
      const [, key, id] = line.split(" ") as [string, string, string];
      given.push([key, id]);
    }
  }
  const runtime = registry.createRuntime(new SqliteDriver({ path }), pino({ level: "silent" }));
  onTestFinished(() => runtime.shutdown());
  const missing: string[] = [];
  for (const [key, id] of given) {
    const n = Number(key.split("-")[1]);
    try {
      expect(await runtime.client.doc.getForId(id).input()).toEqual({ n });
      // And the key still leads to the same actor.
      expect(await runtime.client.doc.get([key]).resolve()).toBe(id);
    } catch (error) {
      missing.push(`${key} ${id}: ${(error as Error).message}`);
    }
  }
  expect(missing, `${missing.length} of ${given.length} ids given out were lost`).toEqual([]);
  expect(given.length).toBeGreaterThan(0);
});
