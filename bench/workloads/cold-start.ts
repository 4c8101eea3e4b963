// cold_start: new actors, each created by getOrCreate + its first action, its state committed
// before the reply, in-process or over HTTP. Sequential (latency per actor) and with calls in
// flight (actors/s). Floors: in-process, one SQLite insert + commit of the same bytes, alone or in
// groups of `concurrency`; over HTTP, one request to the bare HTTP echo that inserts and commits
// one row before it replies (commits of one tick grouped), driven the same way.

import { httpEcho } from "../floors/echo-clients.ts";
import { floorRow, SqliteFloor } from "../floors/sqlite-floor.ts";
import { inFlight, timeEach } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency, perSecond, type Results } from "../lib/result.ts";
import { startServer } from "../lib/server-process.ts";
import { inProcess, remote } from "../lib/subject.ts";
import { tempDir } from "../lib/temp-dir.ts";
import type { TempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

interface Measured {
  sequential: number[];
  concurrentMs: number;
}

async function floorInProcess(dir: TempDir, n: number, concurrency: number, warmup: number): Promise<Measured> {
  const floor = new SqliteFloor(dir.file("floor.db"));
  await timeEach(warmup, (i) => floor.insert([floorRow(`w${i}`, 1)]));
  const sequential = await timeEach(n, (i) => floor.insert([floorRow(`s${i}`, 1)]));
  const groups = Array.from({ length: Math.ceil(n / concurrency) }, (_, g) =>
    Array.from({ length: Math.min(concurrency, n - g * concurrency) }, (_, i) => floorRow(`c${g * concurrency + i}`, 1)),
  );
  const start = performance.now();
  for (const group of groups) floor.insert(group);
  const concurrentMs = performance.now() - start;
  floor.close();
  return { sequential, concurrentMs };
}

async function floorHttp(n: number, concurrency: number, warmup: number): Promise<Measured> {
  await using server = await startServer("echo-server.ts");
  const url = String(server.info.url);
  const insert = () => httpEcho(url, 1, "/insert");
  await timeEach(warmup, insert);
  const sequential = await timeEach(n, insert);
  const concurrentMs = await inFlight(n, concurrency, insert);
  return { sequential, concurrentMs };
}

runWorkload(async (params) => {
  const n = params.int("n");
  const concurrency = params.int("concurrency");
  const warmup = params.int("warmup");
  const transport = params.string("transport");
  using dir = tempDir();

  progress(`cold_start floor (${transport}): ${n} single-row commits, then ${n} rows with ${concurrency} in flight`);
  const floor = transport === "http" ? await floorHttp(n, concurrency, warmup) : await floorInProcess(dir, n, concurrency, warmup);

  await using subject = transport === "http" ? await remote("cbor") : inProcess(dir);
  const create = (key: string) => subject.client.counter.getOrCreate([key]).increment(1);
  progress(`cold_start ${transport}: ${warmup} warm-up, ${n} sequential, ${n} with ${concurrency} in flight`);
  await timeEach(warmup, (i) => create(`w${i}`));
  const sequential = await timeEach(n, (i) => create(`s${i}`));
  const concurrentMs = await inFlight(n, concurrency, (i) => create(`c${i}`));

  const results: Results = {
    [`cold_start.${transport}.sequential`]: latency(sequential, floor.sequential),
    [`cold_start.${transport}.concurrent`]: {
      value: perSecond(n, concurrentMs),
      unit: "actors/s",
      floor: perSecond(n, floor.concurrentMs),
      n,
    },
  };
  return results;
});
