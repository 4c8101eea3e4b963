// SIGKILL at every step boundary of a multi-step workflow, and many times in a row: each completed
// step's effect on the actor's state happens exactly once, an outside effect happens again only
// when the process died between it and the step's commit (at least once), and the workflow always
// completes, woken by its own alarm after each restart.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, expect, test } from "vitest";

const child = join(import.meta.dirname, "fixtures", "kill-child.ts");
const EFFECTS = ["validate", "reserve", "charge", "pack-0", "pack-1", "pack-2", "ship"];
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  /** The boundary the process died at, or undefined if it completed. */
  killedAt: string | undefined;
  boundaries: string[];
  effects: string[] | undefined;
}

/** Runs one child process; it kills itself at its `killAt`-th boundary (of any kind, or inside step code). */
function runChild(dir: string, killAt: number, counting: "all" | "steps" = "all"): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ["--import", "tsx", child, join(dir, "troupe.db"), join(dir, "effects.log"), String(killAt), counting],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const boundaries: string[] = [];
    let effects: string[] | undefined;
    let complete = false;
    createInterface({ input: proc.stdout }).on("line", (line) => {
      const [kind, name] = line.split(" ");
      if (kind === "boundary") boundaries.push(name as string);
      else if (kind === "effects") effects = JSON.parse(line.slice("effects ".length)) as string[];
      else if (line === "complete") complete = true;
      else if (kind === "error") reject(new Error(`the workflow did not complete: ${line}`));
    });
    proc.on("error", reject);
    proc.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve({ killedAt: boundaries.at(-1), boundaries, effects });
      else if (code === 0 && complete) resolve({ killedAt: undefined, boundaries, effects });
      else reject(new Error(`child exited with ${code ?? signal}; boundaries ${JSON.stringify(boundaries)}`));
    });
  });
}

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "troupe-wf-kill-"));
  dirs.push(dir);
  return dir;
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
  const clean = await runChild(freshDir(), 0);
  expect(clean.effects).toEqual(EFFECTS);
  // Every boundary of a run from the start, the retried step's two attempts included.
  expect(clean.boundaries.filter((b) => b === "charge:start").length).toBe(2);
  await inParallel(
    clean.boundaries.map((_, i) => i + 1),
    6,
    async (killAt) => {
      const dir = freshDir();
      const killed = await runChild(dir, killAt);
      expect(killed.killedAt).toBe(clean.boundaries[killAt - 1]);
      const resumed = await runChild(dir, 0);
      verify(dir, resumed.effects, [killed.killedAt as string]);
    },
  );
});

test("SIGKILL many times in a row: each restart resumes where the last one died", { timeout: 240_000 }, async () => {
  await inParallel([0, 1, 2], 3, async () => {
    const dir = freshDir();
    const killedAt: string[] = [];
    // Each process dies within its first three boundaries of new step code, until one finishes.
    for (let run = 0; run < 40; run++) {
      const outcome = await runChild(dir, 1 + Math.floor(Math.random() * 3), "steps");
      if (outcome.killedAt === undefined) {
        expect(killedAt.length).toBeGreaterThanOrEqual(5);
        return verify(dir, outcome.effects, killedAt);
      }
      killedAt.push(outcome.killedAt);
    }
    expect.fail(`the workflow did not complete after 40 runs; killed at ${killedAt.join(", ")}`);
  });
});
