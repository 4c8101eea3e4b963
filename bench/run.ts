// `npm run bench`: runs each workload in a fresh process and prints a table, or JSON with --json.

import { buildTroupe, profileWith } from "./lib/build.ts";
import { describeMachine } from "./lib/machine.ts";
import { parseOptions, USAGE } from "./lib/options.ts";
import { complete, median, type PartialResult, type Result } from "./lib/result.ts";
import { spawnWorkload } from "./lib/spawn-workload.ts";
import { renderTable } from "./lib/table.ts";

async function main(): Promise<number> {
  if (process.argv.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const options = parseOptions(process.argv.slice(2));
  profileWith(options.cpuProf);
  process.stderr.write("compiling packages/troupe\n");
  using built = buildTroupe();
  // Each pass runs every workload once; a figure is reported from the pass with its median value.
  const passes: Array<Map<string, PartialResult>> = [];
  let failed = 0;
  for (let pass = 1; pass <= options.repeat; pass++) {
    if (options.repeat > 1) process.stderr.write(`pass ${pass} of ${options.repeat}\n`);
    const parts = new Map<string, PartialResult>();
    passes.push(parts);
    for (const workload of options.workloads) {
      const params = options.params.get(workload.name) ?? {};
      for (const extra of workload.runs?.(params) ?? [{}]) {
        const label = [workload.name, ...Object.values(extra)].join(" ");
        process.stderr.write(`${label}\n`);
        const started = performance.now();
        try {
          const results = await spawnWorkload(workload.file, workload.nodeArgs ?? [], { ...params, ...extra }, built.tsconfig);
          for (const [name, part] of Object.entries(results)) parts.set(name, { ...parts.get(name), ...part });
          process.stderr.write(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
        } catch (error) {
          failed++;
          process.stderr.write(`${label} failed: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
    }
  }
  const results: Record<string, Result> = {};
  for (const name of new Set(passes.flatMap((parts) => [...parts.keys()]))) {
    results[name] = median(passes.flatMap((parts) => (parts.has(name) ? [complete(parts.get(name) as PartialResult)] : [])));
  }
  if (options.json) {
    const report = { machine: describeMachine(), node: process.version, date: new Date().toISOString(), results };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const machine = describeMachine();
    process.stdout.write(`\n${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GB, ${machine.os}, Node ${process.version}\n\n`);
    process.stdout.write(`${renderTable(results)}\n`);
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
