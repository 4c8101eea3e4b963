// `npm run torture`: the soak versions of the standing reliability checks, each printing progress
// and ending with a JSON summary; exits 1 if any check failed.
// - crash cycles of the mixed workload (state, KV, SQL, schedules, queues, workflows), each ended by
//   SIGKILL after a random number of acknowledged writes and followed by a history check (on a new
//   storage file every 25 cycles, so that it does not slow down as histories grow);
// - the protocol fuzzer over HTTP and WebSocket in both encodings.
//
//   npm run torture                          10 minutes of crash cycles, then 20,000 fuzz cases
//   npm run torture -- --minutes 60          an hour of crash cycles
//   npm run torture -- --cycles 20           20 cycles instead of a duration
//   npm run torture -- --acks 5000           up to 5000 acknowledged writes before each kill (default 2000)
//   npm run torture -- --fuzz-runs 100000    more fuzz cases (and a third as many WebSocket sessions)
//   npm run torture -- --seed 1234           replays a fuzz run
//   npm run torture -- --only crash|fuzz     one of the two

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runFuzz } from "../packages/troupe/test/reliability/fuzz/run.ts";
import { runCrashCycles } from "../packages/troupe/test/reliability/workload/cycles.ts";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    cycles: { type: "string" },
    acks: { type: "string", default: "2000" },
    "fuzz-runs": { type: "string", default: "20000" },
    seed: { type: "string" },
    only: { type: "string" },
  },
});

async function crashCycles(): Promise<boolean> {
  const minutes = Number(values.minutes);
  const dir = mkdtempSync(join(tmpdir(), "troupe-torture-"));
  console.log(`torture: crash cycles for ${values.cycles ? `${values.cycles} cycles` : `${minutes} minutes`}, storage in ${dir}`);
  try {
    const summary = await runCrashCycles({
      path: join(dir, "troupe.db"),
      cycles: values.cycles ? Number(values.cycles) : Number.POSITIVE_INFINITY,
      durationMs: values.cycles ? undefined : minutes * 60_000,
      maxAcksPerCycle: Number(values.acks),
      freshEvery: 25,
      onCycle: (r) =>
        console.log(
          `cycle ${r.cycle}: ${r.acked} acknowledged, ${Object.values(r.totals).reduce((a, b) => a + b, 0)} in all, ` +
            `${r.violations.length === 0 ? "history ok" : `${r.violations.length} violations: ${r.violations.join("; ")}`} (${Math.round(r.elapsedMs / 1000)} s)`,
        ),
    });
    console.log(JSON.stringify({ torture: "crash-cycles", ...summary }, null, 2));
    return summary.violations.length === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fuzz(): Promise<boolean> {
  const runs = Number(values["fuzz-runs"]);
  console.log(`torture: protocol fuzzer, ${runs} HTTP cases and ${Math.ceil(runs / 3)} WebSocket sessions, both encodings`);
  const result = await runFuzz({ runs, seed: values.seed === undefined ? undefined : Number(values.seed) });
  console.log(JSON.stringify({ torture: "fuzz", ...result }, null, 2));
  return result.failures.length === 0 && result.crashes.length === 0;
}

let ok = true;
if (values.only !== "fuzz") ok = (await crashCycles()) && ok;
if (values.only !== "crash") ok = (await fuzz()) && ok;
process.exitCode = ok ? 0 : 1;
