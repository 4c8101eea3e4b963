// Command-line options of `npm run bench`.

import { resolve } from "node:path";
import { CATALOG, type WorkloadSpec } from "../catalog.ts";

export interface BenchOptions {
  json: boolean;
  /** Passes over the suite; each figure is taken from the pass with its median value. */
  repeat: number;
  /** Folder for CPU profiles of every workload and server process (node --cpu-prof). */
  cpuProf: string | undefined;
  workloads: WorkloadSpec[];
  /** Parameters per workload name, sizes resolved. */
  params: Map<string, Record<string, string>>;
}

export const USAGE = `Usage: npm run bench -- [--json] [--only name[,name]] [--smoke] [--repeat=N] [--cpu-prof=DIR] [--<workload>.<param>=<value> ...]

  --json          print one JSON object on stdout (progress stays on stderr)
  --only          run only these workloads
  --smoke         tiny sizes, to check that every workload runs
  --repeat=N      run the suite N times; each figure comes from the run with its median value
  --cpu-prof=DIR  write a CPU profile of every workload and server process to DIR
  --<w>.<p>=<v>   set a parameter, e.g. --cold_start.n=2000 --memory_per_actor.counts=10000

Workloads and their full-run parameters:
${CATALOG.map(
  (w) =>
    `  ${w.name.padEnd(18)} ${Object.entries(w.params)
      .map(([k, v]) => `${k}=${v.full}`)
      .join(" ")}`,
).join("\n")}
`;

export function parseOptions(argv: string[]): BenchOptions {
  let json = false;
  let smoke = false;
  let cpuProf: string | undefined;
  let repeat = 1;
  const only = new Set<string>();
  const overrides: Array<[string, string, string]> = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--json") json = true;
    else if (arg === "--smoke") smoke = true;
    else if (arg.startsWith("--cpu-prof=")) cpuProf = resolve(arg.slice("--cpu-prof=".length));
    else if (arg.startsWith("--repeat=")) {
      repeat = Number(arg.slice("--repeat=".length));
      if (!Number.isInteger(repeat) || repeat < 1) throw new Error("--repeat needs a positive integer.");
    } else if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg === "--only" ? argv[++i] : arg.slice("--only=".length);
      if (!value) throw new Error("--only needs a workload name.");
      for (const name of value.split(",")) only.add(name);
    } else {
      const match = /^--([a-z_]+)\.([a-z_]+)=(.+)$/.exec(arg);
      if (!match) throw new Error(`Unknown option ${arg}.\n\n${USAGE}`);
      overrides.push([match[1] as string, match[2] as string, match[3] as string]);
    }
  }
  const known = new Map(CATALOG.map((w) => [w.name, w]));
  for (const name of only) if (!known.has(name)) throw new Error(`No workload named ${name}; known: ${[...known.keys()].join(", ")}.`);
  const params = new Map<string, Record<string, string>>();
  for (const w of CATALOG) params.set(w.name, Object.fromEntries(Object.entries(w.params).map(([k, v]) => [k, smoke ? v.smoke : v.full])));
  for (const [name, param, value] of overrides) {
    const spec = known.get(name);
    if (!spec || !(param in spec.params)) throw new Error(`Unknown parameter ${name}.${param}.\n\n${USAGE}`);
    (params.get(name) as Record<string, string>)[param] = value;
  }
  // Workloads that need PostgreSQL run when it is there, or when asked for by name (and then say what is missing).
  const postgres = process.env.DATABASE_URL !== undefined;
  const workloads = CATALOG.filter((w) => (only.size === 0 ? postgres || !w.needsPostgres : only.has(w.name)));
  return { json, cpuProf, repeat, workloads, params };
}
