// Crash cycles with a history checker: run the workload, SIGKILL it after a random number of
// acknowledged writes, start a process that drains and dumps every actor, and check the history:
// every acknowledged write is there exactly once (and no write is there twice, acknowledged or not).
// Used by the bounded test and by `npm run torture`.

import { join } from "node:path";
import { runChild } from "../../support/child-process.ts";
import { KINDS, type Kind } from "./actors.ts";

const child = join(import.meta.dirname, "child.ts");

export interface CycleOptions {
  /** The storage file; with `freshEvery`, the first of a series (`<path>.1`, `<path>.2`, ...). */
  path: string;
  /**
   * Start over on a new storage file every this many cycles, so that a long run does not slow down
   * as the recorded histories grow (each actor's state holds every write it took).
   */
  freshEvery?: number;
  /** Stop after this many cycles... */
  cycles: number;
  /** ...or once this many ms have passed, whichever comes first. */
  durationMs?: number;
  /** At most this many acknowledged writes before a kill (the kill comes after 1 to this many). */
  maxAcksPerCycle: number;
  onCycle?: (report: CycleReport) => void;
}

export interface CycleReport {
  cycle: number;
  acked: number;
  /** Acknowledged writes of each kind so far. */
  totals: Record<Kind, number>;
  violations: string[];
  elapsedMs: number;
}

export interface Summary {
  cycles: number;
  kills: number;
  acknowledged: number;
  byKind: Record<Kind, number>;
  violations: string[];
  durationMs: number;
}

type Dump = Partial<Record<Kind, number[]>> & { pending: number };

export async function runCrashCycles(options: CycleOptions): Promise<Summary> {
  const started = performance.now();
  const acked = new Map<string, Set<number>>();
  const byKind = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  const violations: string[] = [];
  let cycle = 0;
  let total = 0;
  let path = options.path;
  while (cycle < options.cycles && (options.durationMs === undefined || performance.now() - started < options.durationMs)) {
    if (options.freshEvery !== undefined && cycle % options.freshEvery === 0) {
      path = `${options.path}.${cycle / options.freshEvery + 1}`;
      acked.clear();
    }
    cycle++;
    const killAfter = 1 + Math.floor(Math.random() * options.maxAcksPerCycle);
    let seen = 0;
    const work = await runChild(child, [path, "work", String(cycle)], (line) => line.startsWith("ack ") && ++seen >= killAfter);
    if (!work.killed) violations.push(`cycle ${cycle}: the workload exited with ${work.code} before it was killed`);
    let count = 0;
    for (const line of work.lines) {
      if (!line.startsWith("ack ")) continue;
      const [, kind, name, seq] = line.split(" ") as [string, Kind, string, string];
      const key = `${name} ${kind}`;
      let set = acked.get(key);
      if (!set) acked.set(key, (set = new Set()));
      set.add(Number(seq));
      byKind[kind]++;
      count++;
    }
    total += count;
    const check = await runChild(child, [path, "check", "0"]);
    const found = violationsOf(cycle, acked, check.lines);
    if (check.code !== 0) found.push(`cycle ${cycle}: the check exited with ${check.code}`);
    violations.push(...found);
    options.onCycle?.({
      cycle,
      acked: count,
      totals: { ...byKind },
      violations: found,
      elapsedMs: Math.round(performance.now() - started),
    });
  }
  return { cycles: cycle, kills: cycle, acknowledged: total, byKind, violations, durationMs: Math.round(performance.now() - started) };
}

/** What the dumps of one check say against every write acknowledged so far. */
function violationsOf(cycle: number, acked: Map<string, Set<number>>, lines: string[]): string[] {
  const out: string[] = [];
  const dumps = new Map<string, Dump>();
  for (const line of lines) {
    const [what, name, json] = line.split(" ", 3) as [string, string, string];
    if (what === "stuck") out.push(`cycle ${cycle}: ${name} did not drain its queue and schedules: ${json}`);
    if (what === "dump" || what === "stuck") dumps.set(name, JSON.parse(line.slice(what.length + name.length + 2)) as Dump);
  }
  for (const [name, dump] of dumps) {
    for (const kind of KINDS) {
      const present = dump[kind];
      if (present === undefined) continue;
      const counts = new Map<number, number>();
      for (const seq of present) counts.set(seq, (counts.get(seq) ?? 0) + 1);
      const twice = [...counts].filter(([, n]) => n > 1).map(([seq]) => seq);
      if (twice.length > 0) out.push(`cycle ${cycle}: ${name} ${kind}: applied more than once: ${twice.slice(0, 10).join(", ")}`);
      const lost = [...(acked.get(`${name} ${kind}`) ?? [])].filter((seq) => !counts.has(seq));
      if (lost.length > 0)
        out.push(`cycle ${cycle}: ${name} ${kind}: ${lost.length} acknowledged writes lost: ${lost.slice(0, 10).join(", ")}`);
    }
  }
  for (const key of acked.keys()) {
    const name = key.split(" ")[0] as string;
    if (!dumps.has(name)) out.push(`cycle ${cycle}: no dump of ${name}`);
  }
  return out;
}
