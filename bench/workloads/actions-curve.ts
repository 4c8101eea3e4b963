// actions_curve: durable increments (acknowledged = committed) spread over `actors` actors, in
// process, `concurrency` in flight → actions/s, one point of the curve over the number of actors.
// Floor: the minimal actor dispatch with a group commit (floors/minimal-actors.ts), same drive.

import { MinimalActors } from "../floors/minimal-actors.ts";
import { openRuntime } from "../lib/actors.ts";
import { inFlight } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { perSecond, type Results } from "../lib/result.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

runWorkload(async (params) => {
  const actors = params.int("actors");
  const n = Math.max(params.int("n"), actors);
  const concurrency = params.int("concurrency");
  using dir = tempDir();
  const id = (i: number) => `a${i % actors}`;

  progress(`actions_curve floor: ${n} durable increments over ${actors} actors, ${concurrency} in flight`);
  const floor = new MinimalActors(
    dir.file("floor.db"),
    Array.from({ length: actors }, (_, a) => id(a)),
  );
  await inFlight(Math.min(n, 5_000), concurrency, (i) => floor.increment(id(i), 1));
  const floorMs = await inFlight(n, concurrency, (i) => floor.increment(id(i), 1));
  floor.close();

  const runtime = openRuntime(dir.file("troupe.db"));
  const handles = Array.from({ length: actors }, (_, a) => runtime.client.counter.getOrCreate([id(a)]));
  progress(`actions_curve: creating ${actors} actors`);
  await inFlight(actors, 64, (a) => (handles[a] as (typeof handles)[number]).increment(1));
  progress(`actions_curve: ${n} durable increments over ${actors} actors, ${concurrency} in flight`);
  const call = (i: number) => (handles[i % actors] as (typeof handles)[number]).increment(1);
  await inFlight(Math.min(n, 5_000), concurrency, call);
  const ms = await inFlight(n, concurrency, call);
  await runtime.shutdown();

  const results: Results = {
    [`actions_curve.actors_${actors}`]: { value: perSecond(n, ms), unit: "actions/s", floor: perSecond(n, floorMs), n },
  };
  return results;
});
