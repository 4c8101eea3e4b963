// The human-readable report: one row per figure, next to its floor and the target.

import type { Result } from "./result.ts";
import { targetFor } from "./targets.ts";

function num(value: number | null): string {
  if (value === null || Number.isNaN(value)) return "";
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  if (Math.abs(value) >= 10) return value.toFixed(1);
  if (Math.abs(value) >= 0.1) return value.toFixed(3);
  return value.toPrecision(3);
}

export function renderTable(results: Record<string, Result>): string {
  const header = ["figure", "value", "unit", "p50 ms", "p99 ms", "floor", "× floor", "n", "target", ""];
  const rows = Object.entries(results).map(([name, r]) => {
    const target = targetFor(name);
    return [
      name,
      num(r.value),
      r.unit,
      num(r.p50),
      num(r.p99),
      num(r.floor),
      r.ratio_to_floor === null ? "" : `${r.ratio_to_floor.toFixed(2)}×`,
      r.n.toLocaleString("en-US"),
      target?.text ?? "",
      target ? (target.met(r) ? "met" : "MISSED") : "",
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i >= 8 || i === 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
