// action_throughput: many actors, `concurrency` calls in flight spread over them → actions/s.
// Floor in-process: plain function calls driven the same way.

import { openRuntime } from "../lib/actors.ts";
import { inFlight } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { perSecond, type Results } from "../lib/result.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

async function plainEcho<T>(value: T): Promise<T> {
  return value;
}

runWorkload(async (params) => {
  const n = params.int("n");
  const actorCount = params.int("actors");
  const concurrency = params.int("concurrency");
  using dir = tempDir();

  progress(`action_throughput floor: ${n} plain calls, ${concurrency} in flight`);
  await inFlight(Math.min(n, 10_000), concurrency, (i) => plainEcho(i));
  const floorMs = await inFlight(n, concurrency, (i) => plainEcho(i));

  const runtime = openRuntime(dir.file("troupe.db"));
  const actors = Array.from({ length: actorCount }, (_, a) => runtime.client.counter.getOrCreate([`t${a}`]));
  await Promise.all(actors.map((actor) => actor.resolve()));
  const call = (i: number) => (actors[i % actorCount] as (typeof actors)[number]).echo(i);
  progress(`action_throughput in-process: ${n} calls over ${actorCount} actors, ${concurrency} in flight`);
  await inFlight(Math.min(n, 10_000), concurrency, call);
  const ms = await inFlight(n, concurrency, call);
  await runtime.shutdown();

  const results: Results = {
    "action_throughput.in_process": { value: perSecond(n, ms), unit: "actions/s", floor: perSecond(n, floorMs), n },
  };
  return results;
});
