// The standing durability check, bounded: a few crash cycles of the mixed workload (state, KV, SQL,
// schedules, queues, workflows), each ended by SIGKILL, each followed by a history check. The long
// version is `npm run torture`.

import { join } from "node:path";
import { expect, test } from "vitest";
import { tempDir } from "../support/temp-dir.ts";
import { runCrashCycles } from "./workload/cycles.ts";

test("crash cycles of every kind of write: each acknowledged write is there exactly once after each SIGKILL", {
  timeout: 240_000,
}, async () => {
  const summary = await runCrashCycles({ path: join(tempDir("troupe-crash-cycles-"), "troupe.db"), cycles: 4, maxAcksPerCycle: 300 });
  expect(summary.violations).toEqual([]);
  for (const [kind, count] of Object.entries(summary.byKind)) expect(count, `acknowledged ${kind} writes`).toBeGreaterThan(0);
  console.log(`crash cycles: ${JSON.stringify(summary)}`);
});
