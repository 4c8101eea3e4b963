// queue_depth: an actor whose queue holds `depth` messages → the cost of taking one message
// (latency, sequential), of draining (messages/s, `concurrency` takes in flight) and of waking the
// actor with that backlog (latency of its first call). Floor of each: the same figure with a
// queue `shallow` messages deep, measured in the same run: a ratio near 1 means the cost does not
// grow with the depth.

import { actor, queue, SqliteDriver, setup } from "troupe";
import { inFlight, timeEach } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency, perSecond, type Results } from "../lib/result.ts";
import { type TempDir, tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

const worker = actor({
  queues: { jobs: queue<{ n: number }>() },
  actions: {
    take: async (c) => (await c.queue.tryNext())?.body,
    size: (c) => c.queue.size(),
  },
  options: { sleepTimeout: 3_600_000, maxQueueSize: 10_000_000 },
});

interface Measured {
  take: number[];
  drainPerSecond: number;
  wake: number[];
}

async function measure(dir: TempDir, depth: number, n: number, concurrency: number): Promise<Measured> {
  const runtime = setup({ use: { worker } }).createRuntime(new SqliteDriver({ path: dir.file(`troupe-${depth}.db`) }));
  const { host } = runtime;
  const handle = runtime.client.worker.getOrCreate([`q${depth}`]);
  // Enough for the takes and the drain on top of the depth measured.
  const total = depth + 2 * n;
  progress(`queue_depth: filling a queue with ${total} messages`);
  await inFlight(total, 256, (i) => handle.send("jobs", { n: i }));
  const take = await timeEach(n, () => handle.take());
  const drainMs = await inFlight(n, concurrency, () => handle.take());
  const wake: number[] = [];
  for (let i = 0; i < 5; i++) {
    await Promise.all([...host.instances.values()].map((instance) => instance.stop("sleep")));
    wake.push(...(await timeEach(1, () => handle.size())));
  }
  await runtime.shutdown();
  return { take, drainPerSecond: perSecond(n, drainMs), wake };
}

runWorkload(async (params) => {
  const depth = params.int("depth");
  const shallow = params.int("shallow");
  const n = params.int("n");
  const concurrency = params.int("concurrency");
  using dir = tempDir();
  progress(`queue_depth: ${n} takes, ${n} drained, 5 wakes, at depth ${shallow} then ${depth}`);
  const floor = await measure(dir, shallow, n, concurrency);
  const deep = await measure(dir, depth, n, concurrency);
  const results: Results = {
    [`queue_depth.take_${depth}`]: latency(deep.take, floor.take),
    [`queue_depth.drain_${depth}`]: { value: deep.drainPerSecond, unit: "messages/s", floor: floor.drainPerSecond, n },
    [`queue_depth.wake_${depth}`]: latency(deep.wake, floor.wake),
  };
  return results;
});
