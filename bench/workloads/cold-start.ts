// cold_start: new actors, each created by getOrCreate + its first action, its state committed
// before the reply. Sequential (latency per actor) and with calls in flight (actors/s).
// Floor: one SQLite insert + commit of the same bytes, alone or in groups of `concurrency`.

import { floorRow, SqliteFloor } from "../floors/sqlite-floor.ts";
import { openRuntime } from "../lib/actors.ts";
import { inFlight, timeEach } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency, perSecond, type Results } from "../lib/result.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

runWorkload(async (params) => {
  const n = params.int("n");
  const concurrency = params.int("concurrency");
  const warmup = params.int("warmup");
  using dir = tempDir();

  progress(`cold_start floor: ${n} single-row commits, then ${n} rows in commits of ${concurrency}`);
  const floor = new SqliteFloor(dir.file("floor.db"));
  await timeEach(warmup, (i) => floor.insert([floorRow(`w${i}`, 1)]));
  const floorSequential = await timeEach(n, (i) => floor.insert([floorRow(`s${i}`, 1)]));
  const groups = Array.from({ length: Math.ceil(n / concurrency) }, (_, g) =>
    Array.from({ length: Math.min(concurrency, n - g * concurrency) }, (_, i) => floorRow(`c${g * concurrency + i}`, 1)),
  );
  const floorStart = performance.now();
  for (const group of groups) floor.insert(group);
  const floorConcurrentMs = performance.now() - floorStart;
  floor.close();

  const runtime = openRuntime(dir.file("troupe.db"));
  const { client } = runtime;
  const create = (key: string) => client.counter.getOrCreate([key]).increment(1);
  progress(`cold_start in-process: ${warmup} warm-up, ${n} sequential, ${n} with ${concurrency} in flight`);
  await timeEach(warmup, (i) => create(`w${i}`));
  const sequential = await timeEach(n, (i) => create(`s${i}`));
  const concurrentMs = await inFlight(n, concurrency, (i) => create(`c${i}`));
  await runtime.shutdown();

  const results: Results = {
    "cold_start.in_process.sequential": latency(sequential, floorSequential),
    "cold_start.in_process.concurrent": {
      value: perSecond(n, concurrentMs),
      unit: "actors/s",
      floor: perSecond(n, floorConcurrentMs),
      n,
    },
  };
  return results;
});
