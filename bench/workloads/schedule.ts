// schedule: `actors` actors each schedule `per_actor` one-shot schedules for the same moment, a
// little ahead; they all come due together → alarms fired/s (from the due time to the last fire)
// and lateness (due time to the scheduled action running). Floor: what firing them must at least
// write, each fired schedule's row deleted, in one SQLite commit (group commit could do the same).

import { actor, type ScheduledFireInfo, SqliteDriver, setup } from "troupe";
import { floorRate, floorRow, SqliteFloor } from "../floors/sqlite-floor.ts";
import { inFlight } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency, perSecond } from "../lib/result.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

/** Lateness of every fire so far, in ms. */
const lateness: number[] = [];
let allFired: (() => void) | undefined;
let expected = Number.POSITIVE_INFINITY;

const planner = actor({
  actions: {
    plan: async (c, count: number, at: number) => {
      for (let i = 0; i < count; i++) await c.schedule.at(at, "fire");
    },
    fire: (_c, info: ScheduledFireInfo) => {
      lateness.push(Date.now() - info.scheduledAt);
      if (lateness.length === expected) allFired?.();
    },
  },
  options: { sleepTimeout: 3_600_000 },
});

function floorFiresPerSecond(path: string, n: number): number {
  const floor = new SqliteFloor(path);
  const rows = Array.from({ length: n }, (_, i) => floorRow(`s${i}`, 0, { at: 0 }));
  floor.insert(rows);
  return floorRate(floor, n, () => floor.remove(rows.map((row) => row.id)));
}

runWorkload(async (params) => {
  const actorCount = params.int("actors");
  const perActor = params.int("per_actor");
  const lead = params.int("lead_ms");
  const n = actorCount * perActor;
  using dir = tempDir();

  progress(`schedule floor: ${n} rows deleted in one commit`);
  const floor = floorFiresPerSecond(dir.file("floor.db"), n);

  const runtime = setup({ use: { planner } }).createRuntime(new SqliteDriver({ path: dir.file("troupe.db") }));
  const planners = Array.from({ length: actorCount }, (_, a) => runtime.client.planner.getOrCreate([`p${a}`]));
  const at = Date.now() + lead;
  expected = n;
  // The alarm timers do not keep the process alive; this guard does, and fails a stuck run.
  let guard: ReturnType<typeof setTimeout> | undefined;
  const fired = new Promise<void>((resolve, reject) => {
    allFired = resolve;
    guard = setTimeout(() => reject(new Error(`${lateness.length} of ${n} schedules fired`)), lead + 120_000);
  });
  progress(`schedule: ${n} schedules over ${actorCount} actors, due in ${lead} ms`);
  await inFlight(actorCount, 64, (a) => (planners[a] as (typeof planners)[number]).plan(perActor, at));
  if (Date.now() >= at) throw new Error(`planning took longer than lead_ms=${lead}; raise it`);
  await fired;
  const ms = Date.now() - at;
  clearTimeout(guard);
  await runtime.shutdown();

  return { schedule: { ...latency(lateness), value: perSecond(n, ms), unit: "fires/s", floor } };
});
