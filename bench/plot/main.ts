// `npm run bench:plot -- results.json [dir]`: draws the scaling curves of a `npm run bench -- --json`
// report as SVG charts (Troupe beside its floor), one per curve, into dir (default docs/images).
// A curve is every figure whose name its pattern matches, n being the number the pattern captures;
// curves the report lacks are skipped.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Result } from "../lib/result.ts";
import { renderChart, type Series } from "./svg.ts";

/** Each chart, by its file name: its figures (`workload` names the workload that makes them). */
const CURVES: Record<string, { title: string; xLabel: string; workload: string; pattern: RegExp }> = {
  actions_curve: {
    title: "Durable increments in process by number of actors",
    xLabel: "actors",
    workload: "actions_curve",
    pattern: /^actions_curve\.[a-z]+_(\d+)$/,
  },
  broadcast_curve: {
    title: "Broadcast deliveries by number of connections",
    xLabel: "connections",
    workload: "broadcast_curve",
    pattern: /^broadcast_curve\.[a-z]+_(\d+)$/,
  },
  creation_curve: {
    title: "New actors per second, in process, by number of actors created",
    xLabel: "actors",
    workload: "memory_per_actor",
    pattern: /^memory_per_actor\.create_(\d+)$/,
  },
};

const USAGE = "Usage: npm run bench:plot -- <results.json> [output dir, default docs/images]\n";

function main(): number {
  const [file, dir = "docs/images"] = process.argv.slice(2).filter((arg) => arg !== "--");
  if (file === undefined || file === "--help") {
    process.stdout.write(USAGE);
    return file === undefined ? 1 : 0;
  }
  // `npm run bench -- --json > file` also writes npm's banner before the JSON: skip to the object.
  const text = readFileSync(file, "utf8");
  const report = JSON.parse(text.slice(Math.max(0, text.indexOf("{")))) as { results: Record<string, Result> };
  let written = 0;
  for (const [curve, { title, xLabel, pattern }] of Object.entries(CURVES)) {
    const points = Object.entries(report.results).flatMap(([name, result]) => {
      const match = pattern.exec(name);
      return match ? [{ x: Number(match[1]), result }] : [];
    });
    if (points.length === 0) continue;
    const unit = points[0]?.result.unit ?? "";
    const series: Series[] = [{ label: "Troupe", color: "#2563eb", points: points.map(({ x, result }) => [x, result.value]) }];
    const floors = points.filter(({ result }) => result.floor !== null);
    if (floors.length > 0)
      series.push({ label: "floor", color: "#9ca3af", points: floors.map(({ x, result }) => [x, result.floor as number]) });
    const path = join(dir, `${curve}.svg`);
    writeFileSync(path, renderChart({ title, xLabel, yLabel: unit, series }));
    process.stderr.write(`wrote ${path} (${points.length} points)\n`);
    written++;
  }
  const workloads = [...new Set(Object.values(CURVES).map((curve) => curve.workload))];
  if (written === 0) process.stderr.write(`no curve in ${file}: run npm run bench -- --json --only ${workloads.join(",")}\n`);
  return written === 0 ? 1 : 0;
}

process.exitCode = main();
