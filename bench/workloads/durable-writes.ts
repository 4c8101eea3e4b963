// durable_writes: many actors incrementing their state with `concurrency` calls in flight →
// acknowledged writes/s and ack latency, strict (acknowledged = committed) and relaxed, on SQLite
// (results durable_writes.*) or PostgreSQL at DATABASE_URL (durable_writes.postgres.*).
// Floor (strict): plain updates of the same bytes in the same database, committed in groups of `concurrency`.
// Relaxed has none: it acknowledges before committing and saves each actor at most once per
// stateSaveInterval, so it is compared with strict, not with a floor that commits every write.

import { encodeCbor } from "../../packages/troupe/src/base/cbor.ts";
import { PostgresFloor } from "../floors/postgres-floor.ts";
import { floorRate, floorRow, inGroups, SqliteFloor } from "../floors/sqlite-floor.ts";
import { registry } from "../lib/actors.ts";
import { inFlight } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { perSecond, type PartialResult, type Results } from "../lib/result.ts";
import { percentile } from "../lib/stats.ts";
import { openStorage, storageKind } from "../lib/storage.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

function floorWritesPerSecond(path: string, n: number, actorCount: number, concurrency: number): number {
  const floor = new SqliteFloor(path);
  const rows = Array.from({ length: actorCount }, (_, a) => floorRow(`d${a}`, 0));
  floor.insert(rows);
  return floorRate(floor, n, () =>
    inGroups(n, concurrency, (first, count) => {
      const group = Array.from({ length: count }, (_, j) => {
        const row = rows[(first + j) % actorCount] as (typeof rows)[number];
        return { id: row.id, state: encodeCbor({ count: first + j }) };
      });
      floor.writeStates(group);
    }),
  );
}

async function postgresFloorWritesPerSecond(n: number, actorCount: number, concurrency: number): Promise<number> {
  await using floor = await PostgresFloor.open();
  const rows = Array.from({ length: actorCount }, (_, a) => floorRow(`d${a}`, 0));
  await floor.insert(rows);
  const start = performance.now();
  for (let first = 0; first < n; first += concurrency) {
    const count = Math.min(concurrency, n - first);
    // One row per actor in a commit, as a group commit has one batch per actor.
    const group = new Map<string, Uint8Array>();
    for (let j = 0; j < count; j++)
      group.set((rows[(first + j) % actorCount] as (typeof rows)[number]).id, encodeCbor({ count: first + j }));
    await floor.writeStates([...group].map(([id, state]) => ({ id, state })));
  }
  return perSecond(n, performance.now() - start);
}

runWorkload(async (params) => {
  const n = params.int("n");
  const actorCount = params.int("actors");
  const concurrency = params.int("concurrency");
  const kind = storageKind(params.string("storage"));
  using dir = tempDir();

  progress(`durable_writes ${kind} floor: ${n} state updates in commits of ${concurrency}`);
  const floor =
    kind === "sqlite"
      ? floorWritesPerSecond(dir.file("floor.db"), n, actorCount, concurrency)
      : await postgresFloorWritesPerSecond(n, actorCount, concurrency);

  await using storage = await openStorage(kind, dir);
  const runtime = registry.createRuntime(storage.driver);
  const results: Results = {};
  for (const durability of ["strict", "relaxed"] as const) {
    const accessor = durability === "strict" ? runtime.client.counter : runtime.client.relaxedCounter;
    const actors = Array.from({ length: actorCount }, (_, a) => accessor.getOrCreate([`d${a}`]));
    await Promise.all(actors.map((actor) => actor.increment(1)));
    const write = (i: number) => (actors[i % actorCount] as (typeof actors)[number]).increment(1);
    progress(`durable_writes ${kind} ${durability}: ${n} increments over ${actorCount} actors, ${concurrency} in flight`);
    await inFlight(Math.min(n, 10_000), concurrency, write);
    const latencies = new Array<number>(n);
    const ms = await inFlight(n, concurrency, write, latencies);
    const sorted = Float64Array.from(latencies).sort();
    const result: PartialResult = {
      value: perSecond(n, ms),
      unit: "writes/s",
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      n,
    };
    if (durability === "strict") result.floor = floor;
    results[`durable_writes.${kind === "sqlite" ? "" : `${kind}.`}${durability}`] = result;
  }
  await runtime.shutdown();
  return results;
});
