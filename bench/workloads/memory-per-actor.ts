// memory_per_actor: heap and resident size per actor, after GC, for `count` live idle actors with a
// small state, then for the same actors once put to sleep (as their idle timer would, but right
// away: the figure must not depend on how long creating them took on a loaded machine). The floor
// (a separate run) keeps the same states as plain objects in a Map keyed by id. Also the disk per
// actor (SQLite file and log, after shutdown; the warm-up actors included, 500 of them), against
// the same records and states as rows of one plain table. --memory_per_actor.counts=1000000 runs 1M.

import { existsSync, statSync } from "node:fs";
import { setup, SqliteDriver } from "troupe";
import { floorRow, SqliteFloor } from "../floors/sqlite-floor.ts";
import { counterActor } from "../lib/actors.ts";
import { inFlight } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { perSecond, type Results } from "../lib/result.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

interface Usage {
  heap: number;
  rss: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Memory in use once garbage is collected (several passes, so that weak references clear too). */
async function settledUsage(): Promise<Usage> {
  if (!gc) throw new Error("memory_per_actor needs node --expose-gc");
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed, rss };
}

function perActor(name: string, before: Usage, after: Usage, count: number, field: "value" | "floor"): Results {
  const figure = (bytes: number) => ({ [field]: bytes / count, unit: "B/actor", n: count });
  return { [`${name}.heap`]: figure(after.heap - before.heap), [`${name}.rss`]: figure(after.rss - before.rss) };
}

/** Bytes of a SQLite database on disk, with its write-ahead log. */
function diskBytes(path: string): number {
  return ["", "-wal", "-shm"].reduce((sum, suffix) => sum + (existsSync(path + suffix) ? statSync(path + suffix).size : 0), 0);
}

/** The disk floor: the same records and states as rows of one table (bench/floors/sqlite-floor.ts). */
function floorDisk(count: number): number {
  using dir = tempDir();
  const path = dir.file("floor.db");
  const floor = new SqliteFloor(path);
  for (let first = 0; first < count; first += 10_000) {
    floor.insert(Array.from({ length: Math.min(10_000, count - first) }, (_, i) => floorRow(`m${first + i}`, 1)));
  }
  floor.close();
  return diskBytes(path);
}

async function floor(count: number): Promise<Results> {
  progress(`memory floor: ${count} states in a Map`);
  const before = await settledUsage();
  const states = new Map<string, { count: number }>();
  for (let i = 0; i < count; i++) states.set(crypto.randomUUID(), { count: 1 });
  const after = await settledUsage();
  if (states.size !== count) throw new Error("lost states");
  // A sleeping actor's floor is the same: its state could at best sit in a Map too.
  return {
    [`memory_per_actor.disk_${count}`]: { floor: floorDisk(count) / count, unit: "B/actor", n: count },
    ...perActor(`memory_per_actor.live_${count}`, before, after, count, "floor"),
    ...perActor(`memory_per_actor.asleep_${count}`, before, after, count, "floor"),
  };
}

/** Puts every live actor of the runtime to sleep, as its idle timer would (4,096 at a time, as it does). */
async function sleepAll(host: { instances: ReadonlyMap<string, { stop(reason: "sleep"): Promise<void> }> }): Promise<void> {
  const live = [...host.instances.values()];
  await inFlight(live.length, 4096, (i) => (live[i] as (typeof live)[number]).stop("sleep"));
  if (host.instances.size > 0) throw new Error(`${host.instances.size} actors are still awake`);
}

async function troupe(count: number): Promise<Results> {
  using dir = tempDir();
  // No actor falls asleep on its own while they are created: the workload puts them to sleep.
  const registry = setup({ use: { counter: counterActor({ sleepTimeout: 3_600_000 }) } });
  const runtime = registry.createRuntime(new SqliteDriver({ path: dir.file("troupe.db") }));
  const { client, host } = runtime;
  const create = (key: string) => client.counter.getOrCreate([key]).increment(1);
  // Warm up every code path first (create, idle sleep), so that compiled code is not counted as actor memory.
  await inFlight(500, 64, (i) => create(`w${i}`));
  await sleepAll(host);

  const before = await settledUsage();
  progress(`memory troupe: creating ${count} live idle actors`);
  // Created in two runs, the first nine tenths and the last tenth, timed apart: whether creating
  // slows as the actors (and the directory) grow.
  const head = count - Math.floor(count / 10);
  const started = performance.now();
  await inFlight(head, 64, (i) => create(`m${i}`));
  const tailStarted = performance.now();
  await inFlight(count - head, 64, (i) => create(`m${head + i}`));
  const ended = performance.now();
  const live = await settledUsage();
  if (host.instances.size !== count) throw new Error(`${count} actors created, ${host.instances.size} awake`);
  progress(`memory troupe: putting ${count} actors to sleep`);
  const sleepStarted = performance.now();
  await sleepAll(host);
  const slept = performance.now();
  const asleep = await settledUsage();
  await runtime.shutdown();
  const disk = diskBytes(dir.file("troupe.db")) / count;
  return {
    [`memory_per_actor.disk_${count}`]: { value: disk, unit: "B/actor", n: count },
    [`memory_per_actor.create_${count}`]: { value: perSecond(count, ended - started), unit: "actors/s", n: count },
    [`memory_per_actor.create_${count}.last_tenth`]: {
      value: perSecond(count - head, ended - tailStarted),
      unit: "actors/s",
      n: count - head,
    },
    [`memory_per_actor.sleep_${count}`]: { value: perSecond(count, slept - sleepStarted), unit: "actors/s", n: count },
    ...perActor(`memory_per_actor.live_${count}`, before, live, count, "value"),
    ...perActor(`memory_per_actor.asleep_${count}`, before, asleep, count, "value"),
  };
}

runWorkload(async (params) => {
  const count = params.int("count");
  const subject = params.string("subject");
  if (subject === "floor") return floor(count);
  if (subject === "troupe") return troupe(count);
  throw new Error(`--subject must be floor or troupe, got ${subject}`);
});
