// SIGKILL at every step boundary of a multi-step workflow, and many times in a row: each completed
// step's effect on the actor's state happens exactly once, an outside effect happens again only
// when the process died between it and the step's commit (at least once), and the workflow always
// completes, woken by its own alarm after each restart.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { bundleChild } from "../support/bundled-child.ts";
import { runChild } from "../support/child-process.ts";
import { tempDir } from "../support/temp-dir.ts";

// Bundled once: the tests start it about a hundred times.
const bundle = bundleChild(join(import.meta.dirname, "fixtures", "kill-child.ts"));
afterAll(() => bundle[Symbol.dispose]());
const EFFECTS = ["validate", "reserve", "charge", "pack-0", "pack-1", "pack-2", "ship"];

interface Outcome {
  /** The boundary the process died at, or undefined if it completed. */
  killedAt: string | undefined;
  boundaries: string[];
  effects: string[] | undefined;
}

/** Runs one child process; it kills itself at its `killAt`-th boundary (of any kind, or inside step code). */
async function runOrder(dir: string, killAt: number, counting: "all" | "steps" = "all"): Promise<Outcome> {
  const { lines, killed, code } = await runChild(bundle.file, [join(dir, "troupe.db"), join(dir, "effects.log"), String(killAt), counting]);
  const error = lines.find((line) => line.startsWith("error "));
  if (error) throw new Error(`the workflow did not complete: ${error}`);
  const boundaries = lines.filter((line) => line.startsWith("boundary ")).map((line) => line.slice("boundary ".length));
  const effectsLine = lines.find((line) => line.startsWith("effects "));
  const effects = effectsLine === undefined ? undefined : (JSON.parse(effectsLine.slice("effects ".length)) as string[]);
  if (killed) return { killedAt: boundaries.at(-1), boundaries, effects };
  if (code === 0 && lines.includes("complete")) return { killedAt: undefined, boundaries, effects };
  throw new Error(`child exited with ${code}; boundaries ${JSON.stringify(boundaries)}`);
}

/** Checks the final state and the outside effects against where the processes were killed. */
function verify(dir: string, effects: string[] | undefined, killedAt: string[]): void {
  expect(effects, `state after kills at ${killedAt.join(", ")}`).toEqual(EFFECTS);
  const log = readFileSync(join(dir, "effects.log"), "utf8").trim().split("\n");
  for (const effect of EFFECTS) {
    // An outside effect repeats only if the process died after it but before its step committed.
    const expected = 1 + killedAt.filter((at) => at === `${effect}:end`).length;
    expect(log.filter((l) => l === effect).length, `${effect} in the log after kills at ${killedAt.join(", ")}`).toBe(expected);
  }
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}

test("SIGKILL at every step boundary: completed steps are not redone and the workflow completes", { timeout: 240_000 }, async () => {
  const clean = await runOrder(tempDir("troupe-wf-kill-"), 0);
  expect(clean.effects).toEqual(EFFECTS);
  // Every boundary of a run from the start, the retried step's two attempts included.
  expect(clean.boundaries.filter((b) => b === "charge:start").length).toBe(2);
  await inParallel(
    clean.boundaries.map((_, i) => i + 1),
    6,
    async (killAt) => {
      const dir = tempDir("troupe-wf-kill-");
      const killed = await runOrder(dir, killAt);
      expect(killed.killedAt).toBe(clean.boundaries[killAt - 1]);
      const resumed = await runOrder(dir, 0);
      verify(dir, resumed.effects, [killed.killedAt as string]);
    },
  );
});

test("SIGKILL many times in a row: each restart resumes where the last one died", { timeout: 240_000 }, async () => {
  await inParallel([0, 1, 2], 3, async () => {
    const dir = tempDir("troupe-wf-kill-");
    const killedAt: string[] = [];
    // Each process dies within its first three boundaries of new step code, until one finishes.
    for (let run = 0; run < 40; run++) {
      const outcome = await runOrder(dir, 1 + Math.floor(Math.random() * 3), "steps");
      if (outcome.killedAt === undefined) {
        expect(killedAt.length).toBeGreaterThanOrEqual(5);
        return verify(dir, outcome.effects, killedAt);
      }
      killedAt.push(outcome.killedAt);
    }
    expect.fail(`the workflow did not complete after 40 runs; killed at ${killedAt.join(", ")}`);
  });
});
