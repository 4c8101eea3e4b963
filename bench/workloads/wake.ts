// wake: N actors put to sleep, then one call each (found by key, loaded from SQLite) → latency,
// in-process or over HTTP. Floor: one SQLite read of the same bytes by name and key.

import { floorRow, SqliteFloor } from "../floors/sqlite-floor.ts";
import { inFlight, timeEach } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency } from "../lib/result.ts";
import { inProcess, remote } from "../lib/subject.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

runWorkload(async (params) => {
  const n = params.int("n");
  const warmup = params.int("warmup");
  const transport = params.string("transport");
  using dir = tempDir();
  const key = (i: number) => `a${i}`;

  progress(`wake floor: ${n} rows read by key`);
  const floor = new SqliteFloor(dir.file("floor.db"));
  floor.insert(Array.from({ length: n + warmup }, (_, i) => floorRow(key(i), 1)));
  const keyJson = (i: number) => JSON.stringify([key(i)]);
  await timeEach(warmup, (i) => floor.read("counter", keyJson(n + i)));
  const floorSamples = await timeEach(n, (i) => floor.read("counter", keyJson(i)));
  floor.close();

  await using subject = transport === "http" ? await remote("cbor") : inProcess(dir);
  const { counter } = subject.client;
  progress(`wake ${transport}: creating ${n + warmup} actors, putting them to sleep`);
  await inFlight(n + warmup, 64, (i) => counter.getOrCreate([key(i)]).increment(1));
  await subject.sleepAll();
  progress(`wake ${transport}: ${warmup} warm-up, ${n} sequential wakes`);
  await timeEach(warmup, (i) => counter.get([key(n + i)]).get());
  const samples = await timeEach(n, (i) => counter.get([key(i)]).get());

  return { [`wake.${transport}`]: latency(samples, floorSamples) };
});
