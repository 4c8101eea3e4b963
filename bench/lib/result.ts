// The shape every workload reports, and helpers that build it from raw measurements.

import { percentile } from "./stats.ts";

/** One figure. `value` is the headline; `floor` is the same figure for the floor it cannot beat. */
export interface Result {
  value: number;
  unit: string;
  /** Latency percentiles in ms, where the figure has a latency distribution. */
  p50: number | null;
  p99: number | null;
  floor: number | null;
  /** value / floor: above 1 for a latency or a size means slower or bigger than the floor. */
  ratio_to_floor: number | null;
  /** Operations (or actors) measured. */
  n: number;
}

/** A result as a workload process reports it; the runner merges the parts of a name and fills the ratio. */
export type PartialResult = Partial<Omit<Result, "ratio_to_floor">>;
export type Results = Record<string, PartialResult>;

/** A latency figure: value is the p50 in ms. */
export function latency(samples: number[], floorSamples?: number[]): PartialResult {
  const sorted = Float64Array.from(samples).sort();
  const out: PartialResult = {
    value: percentile(sorted, 0.5),
    unit: "ms",
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    n: samples.length,
  };
  if (floorSamples) out.floor = percentile(Float64Array.from(floorSamples).sort(), 0.5);
  return out;
}

/** A rate: `count` operations in `ms` milliseconds, per second. */
export function perSecond(count: number, ms: number): number {
  return (count * 1000) / ms;
}

export function complete(parts: PartialResult): Result {
  const value = parts.value ?? Number.NaN;
  const floor = parts.floor ?? null;
  return {
    value,
    unit: parts.unit ?? "",
    p50: parts.p50 ?? null,
    p99: parts.p99 ?? null,
    floor,
    ratio_to_floor: floor === null || floor === 0 ? null : value / floor,
    n: parts.n ?? 0,
  };
}

/** Of the same figure measured in several passes, the pass with the median value (whole, floor included). */
export function median(results: Result[]): Result {
  const sorted = [...results].sort((a, b) => a.value - b.value);
  return sorted[Math.floor((sorted.length - 1) / 2)] as Result;
}
