import { join } from "node:path";
import { pino } from "pino";
import { expect, test } from "vitest";
import { SqliteDriver } from "../../src/index.ts";
import { runUntilKilled } from "../support/child-process.ts";
import { tempDir } from "../support/temp-dir.ts";
import { registry } from "./fixtures/ledger.ts";

const child = join(import.meta.dirname, "fixtures", "crash-child.ts");
const ACTORS = 4;
const CYCLES = 6;

/** Runs the child until it has acknowledged `killAfter` writes, then SIGKILLs it; returns the acknowledged writes. */
async function killAfterAcks(path: string, killAfter: number): Promise<Array<[number, number]>> {
  let acked = 0;
  const lines = await runUntilKilled(child, [path, String(ACTORS)], (line) => line.startsWith("ack ") && ++acked >= killAfter);
  return lines
    .filter((line) => line.startsWith("ack "))
    .map((line): [number, number] => {
      const [, i, seq] = line.split(" ");
      return [Number(i), Number(seq)];
    });
}

/** Opens the storage the child left, as the next process would, and reads every actor. */
async function reopen(path: string) {
  const runtime = registry(path).createRuntime(new SqliteDriver({ path }), pino({ level: "silent" }));
  try {
    const found = [];
    for (let i = 0; i < ACTORS; i++) found.push(await runtime.client.ledger.getOrCreate([`l${i}`]).dump());
    return found;
  } finally {
    await runtime.shutdown();
  }
}

test("no acknowledged c.db transaction or c.kv write is lost to SIGKILL, and no transaction is half there", {
  timeout: 120_000,
}, async () => {
  const path = join(tempDir("troupe-db-crash-"), "troupe.db");
  const acked: Array<Set<number>> = Array.from({ length: ACTORS }, () => new Set());
  let total = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const acks = await killAfterAcks(path, 1 + Math.floor(Math.random() * 150));
    for (const [i, seq] of acks) acked[i]!.add(seq);
    total += acks.length;
    const found = await reopen(path);
    for (let i = 0; i < ACTORS; i++) {
      const { rows, kv } = found[i]!;
      const inDb = new Set(rows.map((r) => r.seq));
      const inKv = new Set(kv);
      const lostDb = [...acked[i]!].filter((seq) => !inDb.has(seq));
      const lostKv = [...acked[i]!].filter((seq) => !inKv.has(seq));
      const halves = rows.filter((r) => r.halves !== 2);
      if (lostDb.length + lostKv.length + halves.length > 0) {
        expect.fail(
          `cycle ${cycle}, actor l${i}: lost from c.db ${lostDb}, lost from c.kv ${lostKv}, half transactions ${JSON.stringify(halves)}`,
        );
      }
    }
  }
  expect(total).toBeGreaterThan(0);
  console.log(`c.db crash test: ${CYCLES} SIGKILL cycles, ${total} acknowledged writes, none lost`);
});
