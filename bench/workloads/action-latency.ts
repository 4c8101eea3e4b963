// action_latency: one awake actor, sequential calls of an echo action → latency per call.
// Floor in-process: a plain function call, awaited.

import { openRuntime } from "../lib/actors.ts";
import { timeEach } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency } from "../lib/result.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

const payload = (i: number) => ({ i, text: "hello" });

function plainEcho<T>(value: T): T {
  return value;
}

runWorkload(async (params) => {
  const n = params.int("n");
  const warmup = params.int("warmup");
  using dir = tempDir();

  progress(`action_latency floor: ${n} plain function calls`);
  await timeEach(warmup, (i) => plainEcho(payload(i)));
  const floorSamples = await timeEach(n, (i) => plainEcho(payload(i)));

  const runtime = openRuntime(dir.file("troupe.db"));
  const actor = runtime.client.counter.getOrCreate(["latency"]);
  progress(`action_latency in-process: ${n} calls`);
  await timeEach(warmup, (i) => actor.echo(payload(i)));
  const samples = await timeEach(n, (i) => actor.echo(payload(i)));
  await runtime.shutdown();

  return { "action_latency.in_process": latency(samples, floorSamples) };
});
