// queue: messages sent to actors' durable queues and completed by each actor's run loop; the
// sender waits for the completion → messages/s and send-to-completion latency. Floor: what a
// completable delivery has to store, in SQLite, in commits of `concurrency`: the message inserted
// (acknowledged send), its delivery counted (a crash after it must not deliver it forever), and
// the message deleted (completed).

import { actor, queue, SqliteDriver, setup } from "troupe";
import { encodeCbor } from "../../packages/troupe/src/base/cbor.ts";
import { floorRate, floorRow, inGroups, SqliteFloor } from "../floors/sqlite-floor.ts";
import { inFlight } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency, perSecond } from "../lib/result.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

const worker = actor({
  queues: { jobs: queue<{ n: number }, { n: number }>() },
  run: async (c) => {
    // The run handler's context does not carry the queue types: the body is read as sent.
    for await (const m of c.queue.iter({ completable: true })) await m.complete({ n: (m.body as { n: number }).n });
  },
  actions: {},
  options: { sleepTimeout: 3_600_000 },
});

function floorMessagesPerSecond(path: string, n: number, concurrency: number): number {
  const floor = new SqliteFloor(path);
  return floorRate(floor, n, () =>
    inGroups(n, concurrency, (first, count) => {
      const group = Array.from({ length: count }, (_, j) => floorRow(`m${first + j}`, 0, { n: first + j }));
      floor.insert(group);
      floor.writeStates(group.map((row) => ({ id: row.id, state: encodeCbor({ n: row.key, attempts: 1 }) })));
      floor.remove(group.map((row) => row.id));
    }),
  );
}

runWorkload(async (params) => {
  const n = params.int("n");
  const actorCount = params.int("actors");
  const concurrency = params.int("concurrency");
  using dir = tempDir();

  progress(`queue floor: ${n} rows inserted, updated and deleted in commits of ${concurrency}`);
  const floor = floorMessagesPerSecond(dir.file("floor.db"), n, concurrency);

  const runtime = setup({ use: { worker } }).createRuntime(new SqliteDriver({ path: dir.file("troupe.db") }));
  const workers = Array.from({ length: actorCount }, (_, a) => runtime.client.worker.getOrCreate([`q${a}`]));
  await Promise.all(workers.map((w) => w.resolve()));
  const send = async (i: number) => {
    const result = await (workers[i % actorCount] as (typeof workers)[number]).send("jobs", { n: i }, { wait: true });
    if (result.status !== "completed") throw new Error(`message ${i} was not completed: ${result.status}`);
  };
  progress(`queue: ${n} messages over ${actorCount} actors, ${concurrency} in flight`);
  await inFlight(Math.min(n, 2_000), concurrency, send);
  const latencies = new Array<number>(n);
  const ms = await inFlight(n, concurrency, send, latencies);
  await runtime.shutdown();

  return { queue: { ...latency(latencies), value: perSecond(n, ms), unit: "messages/s", floor } };
});
