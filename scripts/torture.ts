// `npm run torture`: the soak version of the standing durability check. Crash cycles of the mixed
// workload (state, KV, SQL, schedules, queues, workflows), each ended by SIGKILL after a random
// number of acknowledged writes and followed by a history check, for a while (on a new storage file
// every 25 cycles, so that it does not slow down as histories grow); one progress line per cycle,
// then a JSON summary. Exits 1 if any acknowledged write was lost or applied twice.
//
//   npm run torture                       10 minutes
//   npm run torture -- --minutes 60       an hour
//   npm run torture -- --cycles 20        20 cycles
//   npm run torture -- --acks 5000        up to 5000 acknowledged writes before each kill (default 2000)

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runCrashCycles } from "../packages/troupe/test/reliability/workload/cycles.ts";

const { values } = parseArgs({
  options: { minutes: { type: "string", default: "10" }, cycles: { type: "string" }, acks: { type: "string", default: "2000" } },
});
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
  process.exitCode = summary.violations.length === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
