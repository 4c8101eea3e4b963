import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, expect, test } from "vitest";

const child = join(import.meta.dirname, "fixtures", "crash-child.ts");
const ACTORS = 12;
const CYCLES = 15;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the child until it has acknowledged `kills` writes, then SIGKILLs it; returns what it printed. */
function runUntilKilled(path: string, killAfter: number): Promise<{ states: Map<number, number>; acks: Array<[number, number]> }> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", child, path, String(ACTORS)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const states = new Map<number, number>();
    const acks: Array<[number, number]> = [];
    let killed = false;
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const [kind, i, value] = line.split(" ");
      if (kind === "state") states.set(Number(i), Number(value));
      if (kind === "ack") {
        acks.push([Number(i), Number(value)]);
        if (acks.length >= killAfter && !killed) {
          killed = true;
          proc.kill("SIGKILL");
        }
      }
    });
    proc.on("error", reject);
    proc.on("close", (code, signal) => {
      if (signal === "SIGKILL") resolve({ states, acks });
      else reject(new Error(`child exited with ${code ?? signal} before it was killed`));
    });
  });
}

test("every acknowledged write survives SIGKILL at random moments", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "troupe-crash-"));
  dirs.push(dir);
  const path = join(dir, "troupe.db");
  const acked = new Map<number, number>();
  let total = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    // Kill after a random number of acknowledged writes: early, mid-burst, or well into a run.
    const killAfter = 1 + Math.floor(Math.random() * 400);
    const { states, acks } = await runUntilKilled(path, killAfter);
    for (let i = 0; i < ACTORS; i++) {
      const found = states.get(i) ?? 0;
      const expected = acked.get(i) ?? 0;
      if (found < expected) expect.fail(`cycle ${cycle}: actor c${i} has ${found}, but ${expected} was acknowledged`);
    }
    for (const [i, value] of acks) acked.set(i, Math.max(acked.get(i) ?? 0, value));
    total += acks.length;
  }
  const { states } = await runUntilKilled(path, 1);
  for (let i = 0; i < ACTORS; i++) expect(states.get(i) ?? 0).toBeGreaterThanOrEqual(acked.get(i) ?? 0);
  console.log(`crash test: ${CYCLES} SIGKILL cycles, ${total} acknowledged writes, none lost`);
});
