import { join } from "node:path";
import { expect, test } from "vitest";
import { runUntilKilled } from "../support/child-process.ts";
import { tempDir } from "../support/temp-dir.ts";

const child = join(import.meta.dirname, "fixtures", "crash-child.ts");
const ACTORS = 12;
const CYCLES = 15;

/** Runs the child until it has acknowledged `killAfter` writes, then SIGKILLs it; returns what it printed. */
async function killAfterAcks(path: string, killAfter: number): Promise<{ states: Map<number, number>; acks: Array<[number, number]> }> {
  let acked = 0;
  const lines = await runUntilKilled(child, [path, String(ACTORS)], (line) => line.startsWith("ack ") && ++acked >= killAfter);
  const states = new Map<number, number>();
  const acks: Array<[number, number]> = [];
  for (const line of lines) {
    const [kind, i, value] = line.split(" ");
    if (kind === "state") states.set(Number(i), Number(value));
    if (kind === "ack") acks.push([Number(i), Number(value)]);
  }
  return { states, acks };
}

test("every acknowledged write survives SIGKILL at random moments", { timeout: 120_000 }, async () => {
  const path = join(tempDir("troupe-crash-"), "troupe.db");
  const acked = new Map<number, number>();
  let total = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    // Kill after a random number of acknowledged writes: early, mid-burst, or well into a run.
    const killAfter = 1 + Math.floor(Math.random() * 400);
    const { states, acks } = await killAfterAcks(path, killAfter);
    for (let i = 0; i < ACTORS; i++) {
      const found = states.get(i) ?? 0;
      const expected = acked.get(i) ?? 0;
      if (found < expected) expect.fail(`cycle ${cycle}: actor c${i} has ${found}, but ${expected} was acknowledged`);
    }
    for (const [i, value] of acks) acked.set(i, Math.max(acked.get(i) ?? 0, value));
    total += acks.length;
  }
  const { states } = await killAfterAcks(path, 1);
  for (let i = 0; i < ACTORS; i++) expect(states.get(i) ?? 0).toBeGreaterThanOrEqual(acked.get(i) ?? 0);
  console.log(`crash test: ${CYCLES} SIGKILL cycles, ${total} acknowledged writes, none lost`);
});
