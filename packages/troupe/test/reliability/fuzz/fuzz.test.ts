// The protocol fuzzer, bounded: a few hundred generated HTTP requests and WebSocket sessions in both
// encodings against a real server. No crash, no 5xx, no hang, no internal error, memory flat.
// `npm run torture` runs it longer; TROUPE_FUZZ_SEED replays a run.

import { expect, test } from "vitest";
import { runFuzz } from "./run.ts";

/** Actor state and caches may grow a little over a run; a leak per request is far past this. */
const HEAP_BOUND_MB = 64;

test("generated requests and sessions get typed answers in time; the process neither crashes nor grows", async () => {
  const seed = process.env.TROUPE_FUZZ_SEED === undefined ? undefined : Number(process.env.TROUPE_FUZZ_SEED);
  const summary = await runFuzz({ runs: 300, seed });
  console.log(JSON.stringify({ fuzz: summary }));
  expect(summary.failures).toEqual([]);
  expect(summary.crashes).toEqual([]);
  expect(summary.heapGrowthMB).toBeLessThan(HEAP_BOUND_MB);
}, 120_000);
