// startup: a runtime opened on a SQLite file that holds `actors` stored (sleeping) actors → time to
// open it (driver + runtime, ready for calls) and to wake one of them with its first call. It must
// not grow with the number of stored actors. Floor: better-sqlite3 opening a file of as many rows
// (bench/floors/sqlite-floor.ts) and reading one row by key.

import { SqliteDriver } from "troupe";
import { floorRow, SqliteFloor } from "../floors/sqlite-floor.ts";
import { openRuntime, registry } from "../lib/actors.ts";
import { inFlight } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import type { Results } from "../lib/result.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

runWorkload(async (params) => {
  const actors = params.int("actors");
  using dir = tempDir();
  const key = (i: number) => `s${i}`;

  progress(`startup floor: ${actors} rows`);
  const seeded = new SqliteFloor(dir.file("floor.db"));
  for (let first = 0; first < actors; first += 10_000) {
    seeded.insert(Array.from({ length: Math.min(10_000, actors - first) }, (_, i) => floorRow(key(first + i), 1)));
  }
  seeded.close();
  let start = performance.now();
  const floor = new SqliteFloor(dir.file("floor.db"));
  const floorOpenMs = performance.now() - start;
  start = performance.now();
  floor.read("counter", JSON.stringify([key(actors >> 1)]));
  const floorReadMs = performance.now() - start;
  floor.close();

  progress(`startup: storing ${actors} actors`);
  const first = openRuntime(dir.file("troupe.db"));
  await inFlight(actors, 256, (i) => first.client.counter.getOrCreate([key(i)]).increment(1));
  await first.shutdown();

  progress(`startup: opening a runtime over ${actors} stored actors, waking one`);
  start = performance.now();
  const runtime = registry.createRuntime(new SqliteDriver({ path: dir.file("troupe.db") }));
  await runtime.host.driver.nextAlarm();
  const openMs = performance.now() - start;
  start = performance.now();
  await runtime.client.counter.get([key(actors >> 1)]).get();
  const wakeMs = performance.now() - start;
  await runtime.shutdown();

  const results: Results = {
    [`startup.open_${actors}`]: { value: openMs, unit: "ms", p50: openMs, floor: floorOpenMs, n: actors },
    [`startup.first_wake_${actors}`]: { value: wakeMs, unit: "ms", p50: wakeMs, floor: floorReadMs, n: actors },
  };
  return results;
});
