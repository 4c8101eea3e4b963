// The benchmark suite with tiny sizes: every workload runs and the JSON has the published shape.
// Timings are never asserted.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { CATALOG } from "../catalog.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

test("npm run bench -- --smoke --json runs every workload", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "bench/run.ts", "--smoke", "--json"], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  const report = JSON.parse(stdout) as { machine: unknown; node: unknown; date: unknown; results: Record<string, Record<string, unknown>> };
  expect(Object.keys(report).sort()).toEqual(["date", "machine", "node", "results"]);
  expect(report.node).toBe(process.version);
  expect(Number.isNaN(Date.parse(String(report.date)))).toBe(false);

  const names = Object.keys(report.results);
  // Without DATABASE_URL the workloads that need PostgreSQL are left out (bench/lib/options.ts).
  const expected = CATALOG.filter((w) => process.env.DATABASE_URL !== undefined || !w.needsPostgres);
  const missing = expected
    .map((w) => w.name)
    .filter((workload) => !names.some((name) => name === workload || name.startsWith(`${workload}.`)));
  expect(missing, "workloads that reported nothing").toEqual([]);

  for (const [name, result] of Object.entries(report.results)) {
    expect(Object.keys(result).sort(), name).toEqual(["floor", "n", "p50", "p99", "ratio_to_floor", "unit", "value"]);
    expect(typeof result.value, `${name}.value`).toBe("number");
    expect(Number.isFinite(result.value), `${name}.value is finite`).toBe(true);
    expect(typeof result.unit, `${name}.unit`).toBe("string");
    expect(result.n, `${name}.n`).toBeGreaterThan(0);
    for (const field of ["p50", "p99", "floor", "ratio_to_floor"]) {
      expect(result[field] === null || typeof result[field] === "number", `${name}.${field} is a number or null`).toBe(true);
    }
  }

  // The curves of the same report drawn as charts, one point per figure.
  const dir = mkdtempSync(join(tmpdir(), "troupe-plot-"));
  try {
    writeFileSync(join(dir, "report.json"), stdout);
    await promisify(execFile)(process.execPath, ["--import", "tsx", "bench/plot/main.ts", join(dir, "report.json"), dir], { cwd: root });
    // A point is a figure its pattern matches; figures beside it (`.server_cpu`, ...) are not drawn.
    // Troupe's and the floor's circle for each point, or Troupe's alone where there is no floor.
    const curves: Array<[string, RegExp, number]> = [
      ["actions_curve", /^actions_curve\.[a-z]+_\d+$/, 2],
      ["broadcast_curve", /^broadcast_curve\.[a-z]+_\d+$/, 2],
      ["creation_curve", /^memory_per_actor\.create_\d+$/, 1],
    ];
    for (const [curve, pattern, series] of curves) {
      const svg = readFileSync(join(dir, `${curve}.svg`), "utf8");
      const points = names.filter((name) => pattern.test(name)).length;
      expect(points, curve).toBeGreaterThan(0);
      expect(svg.startsWith("<svg"), curve).toBe(true);
      expect(svg.match(/<circle /g)?.length, curve).toBe(series * points);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
