// observed_actions: in-process echo calls over many actors, with a watcher on the host → actions/s.
// `observer=metrics`: the Prometheus metrics (docs/observability.md); `observer=tracing`: an
// OpenTelemetry span per action and commit, exported to nowhere. Floor: the same calls unobserved.

import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import * as prom from "prom-client";
import { ActorMetrics } from "../../packages/troupe/src/telemetry/actor-metrics.ts";
import { traceActors } from "../../packages/troupe/src/telemetry/tracing.ts";
import { openRuntime } from "../lib/actors.ts";
import { inFlight } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { perSecond, type Results } from "../lib/result.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

type Runtime = ReturnType<typeof openRuntime>;

/** Warms up, then returns the wall time of `n` echo calls with `concurrency` in flight over `actors` actors. */
async function drive(runtime: Runtime, n: number, actors: number, concurrency: number): Promise<number> {
  const handles = Array.from({ length: actors }, (_, a) => runtime.client.counter.getOrCreate([`o${a}`]));
  await Promise.all(handles.map((handle) => handle.resolve()));
  const call = (i: number) => (handles[i % actors] as (typeof handles)[number]).echo(i);
  await inFlight(Math.min(n, 10_000), concurrency, call);
  return inFlight(n, concurrency, call);
}

function observe(runtime: Runtime, observer: string): void {
  if (observer === "metrics") {
    new ActorMetrics(prom, () => runtime.host).watch(runtime.host);
    return;
  }
  const discard = { export: (_spans: unknown[], done: (result: { code: number }) => void) => done({ code: 0 }), shutdown: async () => {} };
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(discard)] }));
  if (traceActors(runtime.host) === undefined) throw new Error("the tracer provider was not picked up");
}

runWorkload(async (params) => {
  const observer = params.string("observer");
  const n = params.int("n");
  const actors = params.int("actors");
  const concurrency = params.int("concurrency");
  using dir = tempDir();

  progress(`observed_actions floor: ${n} calls over ${actors} actors, ${concurrency} in flight, unobserved`);
  const plain = openRuntime(dir.file("plain.db"));
  const floor = await drive(plain, n, actors, concurrency);
  await plain.shutdown();

  progress(`observed_actions ${observer}: ${n} calls over ${actors} actors, ${concurrency} in flight`);
  const observed = openRuntime(dir.file("observed.db"));
  observe(observed, observer);
  const ms = await drive(observed, n, actors, concurrency);
  await observed.shutdown();

  const results: Results = {
    [`observed_actions.${observer}`]: { value: perSecond(n, ms), unit: "actions/s", floor: perSecond(n, floor), n },
  };
  return results;
});
