import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pino } from "pino";
import { afterEach, expect, test } from "vitest";
import { SqliteDriver } from "../../src/index.ts";
import { registry } from "./fixtures/ledger.ts";

const child = join(import.meta.dirname, "fixtures", "crash-child.ts");
const ACTORS = 4;
const CYCLES = 6;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the child until it has acknowledged `killAfter` writes, then SIGKILLs it; returns the acknowledged writes. */
function runUntilKilled(path: string, killAfter: number): Promise<Array<[number, number]>> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", child, path, String(ACTORS)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const acks: Array<[number, number]> = [];
    let killed = false;
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const [kind, i, seq] = line.split(" ");
      if (kind !== "ack") return;
      acks.push([Number(i), Number(seq)]);
      if (acks.length >= killAfter && !killed) {
        killed = true;
        proc.kill("SIGKILL");
      }
    });
    proc.on("error", reject);
    proc.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(acks);
      else reject(new Error(`child exited with ${code ?? signal} before it was killed`));
    });
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
  const dir = mkdtempSync(join(tmpdir(), "troupe-db-crash-"));
  dirs.push(dir);
  const path = join(dir, "troupe.db");
  const acked: Array<Set<number>> = Array.from({ length: ACTORS }, () => new Set());
  let total = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const acks = await runUntilKilled(path, 1 + Math.floor(Math.random() * 150));
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
