// wake: N actors put to sleep, then one call each (found by key, loaded from SQLite) → latency.
// Floor: one SQLite read of the same bytes by name and key.

import { floorRow, SqliteFloor } from "../floors/sqlite-floor.ts";
import { openRuntime } from "../lib/actors.ts";
import { inFlight, timeEach } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency } from "../lib/result.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

runWorkload(async (params) => {
  const n = params.int("n");
  const warmup = params.int("warmup");
  using dir = tempDir();
  const key = (i: number) => `a${i}`;

  progress(`wake floor: ${n} rows read by key`);
  const floor = new SqliteFloor(dir.file("floor.db"));
  floor.insert(Array.from({ length: n + warmup }, (_, i) => floorRow(key(i), 1)));
  const keyJson = (i: number) => JSON.stringify([key(i)]);
  await timeEach(warmup, (i) => floor.read("counter", keyJson(n + i)));
  const floorSamples = await timeEach(n, (i) => floor.read("counter", keyJson(i)));
  floor.close();

  const runtime = openRuntime(dir.file("troupe.db"));
  const { client, host } = runtime;
  progress(`wake in-process: creating ${n + warmup} actors, putting them to sleep`);
  await inFlight(n + warmup, 64, (i) => client.counter.getOrCreate([key(i)]).increment(1));
  await Promise.all([...host.instances.values()].map((instance) => instance.stop("sleep")));
  if (host.instances.size > 0) throw new Error(`${host.instances.size} actors are still awake`);
  progress(`wake in-process: ${warmup} warm-up, ${n} sequential wakes`);
  await timeEach(warmup, (i) => client.counter.get([key(n + i)]).get());
  const samples = await timeEach(n, (i) => client.counter.get([key(i)]).get());
  await runtime.shutdown();

  return { "wake.in_process": latency(samples, floorSamples) };
});
