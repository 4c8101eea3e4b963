// Two runtimes on one storage file, as two nodes of a cluster share one database: each wakes the
// same actors over and over, fencing the other. Every increment either side saw acknowledged must
// be in storage exactly once: a wake that read the state before claiming the actor could overwrite
// an increment the other side committed in between (and acknowledge the same count twice).

import { join } from "node:path";
import { pino } from "pino";
import { actor, SqliteDriver, setup } from "troupe";
import { expect, onTestFinished, test } from "vitest";
import { tempDir } from "../support/temp-dir.ts";

const counter = actor({
  state: { count: 0 },
  actions: {
    increment: (c) => ++c.state.count,
    read: (c) => c.state.count,
  },
});
const registry = setup({ use: { counter } });
const logger = pino({ level: "silent" });

function twoRuntimes() {
  const path = join(tempDir("troupe-claim-race-"), "troupe.db");
  const runtimes = [0, 1].map(() => registry.createRuntime(new SqliteDriver({ path }), logger));
  onTestFinished(async () => {
    for (const runtime of runtimes) await runtime.shutdown();
  });
  return { path, runtimes };
}

test("two runtimes fencing each other on one file: every acknowledged increment is stored exactly once", { timeout: 60_000 }, async () => {
  const { path, runtimes } = twoRuntimes();
  const ACTORS = 3;
  const acked: number[][] = Array.from({ length: ACTORS }, () => []);
  let refused = 0;
  const deadline = performance.now() + 1_500;
  await Promise.all(
    runtimes.flatMap((runtime) =>
      Array.from({ length: 4 }, async () => {
        while (performance.now() < deadline) {
          const i = Math.floor(Math.random() * ACTORS);
          try {
            acked[i]!.push(await runtime.client.counter.getOrCreate([`c${i}`]).increment());
          } catch (error) {
            // Fenced by the other runtime, or its instance was stopping: not acknowledged, not applied.
            expect(error).toMatchObject({ group: "actor" });
            refused++;
          }
        }
      }),
    ),
  );
  for (const runtime of runtimes) await runtime.shutdown();
  const reader = registry.createRuntime(new SqliteDriver({ path }), logger);
  onTestFinished(() => reader.shutdown());
  for (let i = 0; i < ACTORS; i++) {
    const values = [...acked[i]!].sort((a, b) => a - b);
    const stored = await reader.client.counter.getOrCreate([`c${i}`]).read();
    // Acknowledged counts are 1, 2, 3, ... with none twice, and storage holds the last of them.
    expect(values, `actor c${i}: acknowledged counts`).toEqual(Array.from({ length: values.length }, (_, n) => n + 1));
    expect(stored, `actor c${i}: stored count`).toBe(values.length);
  }
  expect(refused, "the runtimes did take the actors from each other").toBeGreaterThan(0);
});

test("getOrCreate of one key in two runtimes at once answers one id in both", async () => {
  const { runtimes } = twoRuntimes();
  const [a, b] = runtimes as [(typeof runtimes)[0], (typeof runtimes)[0]];
  for (let k = 0; k < 20; k++) {
    const ids = await Promise.all([a.client.counter.getOrCreate([`k${k}`]).resolve(), b.client.counter.getOrCreate([`k${k}`]).resolve()]);
    expect(ids[1], `key k${k}`).toBe(ids[0]);
  }
});
