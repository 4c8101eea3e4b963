// wake: N actors put to sleep, then one call each (found by key, loaded from SQLite) → latency,
// in-process or over HTTP. Floors: in-process, one SQLite read of the same bytes by name and key;
// over HTTP, one request to the bare HTTP echo that reads that row before it replies.

import { httpEcho } from "../floors/echo-clients.ts";
import { floorRow, SqliteFloor } from "../floors/sqlite-floor.ts";
import { inFlight, timeEach } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency } from "../lib/result.ts";
import { startServer } from "../lib/server-process.ts";
import { inProcess, remote } from "../lib/subject.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

const key = (i: number) => `k${i}`;

async function floorSamples(path: string, transport: string, n: number, warmup: number): Promise<number[]> {
  if (transport === "http") {
    await using server = await startServer("echo-server.ts");
    const url = String(server.info.url);
    await server.command({ cmd: "seed", count: n + warmup });
    await timeEach(warmup, (i) => httpEcho(url, 1, `/read/${key(n + i)}`));
    // Awaited here: the server is disposed when this block returns.
    return await timeEach(n, (i) => httpEcho(url, 1, `/read/${key(i)}`));
  }
  const floor = new SqliteFloor(path);
  floor.insert(Array.from({ length: n + warmup }, (_, i) => floorRow(key(i), 1)));
  const keyJson = (i: number) => JSON.stringify([key(i)]);
  await timeEach(warmup, (i) => floor.read("counter", keyJson(n + i)));
  const samples = await timeEach(n, (i) => floor.read("counter", keyJson(i)));
  floor.close();
  return samples;
}

runWorkload(async (params) => {
  const n = params.int("n");
  const warmup = params.int("warmup");
  const transport = params.string("transport");
  using dir = tempDir();

  progress(`wake floor (${transport}): ${n} rows read by key`);
  const floor = await floorSamples(dir.file("floor.db"), transport, n, warmup);

  await using subject = transport === "http" ? await remote("cbor") : inProcess(dir);
  const { counter } = subject.client;
  progress(`wake ${transport}: creating ${n + warmup} actors, putting them to sleep`);
  await inFlight(n + warmup, 64, (i) => counter.getOrCreate([key(i)]).increment(1));
  await subject.sleepAll();
  progress(`wake ${transport}: ${warmup} warm-up, ${n} sequential wakes`);
  await timeEach(warmup, (i) => counter.get([key(n + i)]).get());
  const samples = await timeEach(n, (i) => counter.get([key(i)]).get());

  return { [`wake.${transport}`]: latency(samples, floor) };
});
