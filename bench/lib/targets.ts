// The targets for this class of machine (2 cores), by result name.

import type { Result } from "./result.ts";

export interface Target {
  text: string;
  met(result: Result): boolean;
}

const atMost = (limit: number, unit: string): Target => ({ text: `p50 ≤ ${limit} ${unit}`, met: (r) => r.value <= limit });
const atLeast = (limit: number, unit: string): Target => ({
  text: `≥ ${limit.toLocaleString("en-US")} ${unit}`,
  met: (r) => r.value >= limit,
});
const ratioAtMost = (limit: number, floor: string): Target => ({
  text: `≤ ${limit}× ${floor}`,
  met: (r) => r.ratio_to_floor !== null && r.ratio_to_floor <= limit,
});
const beyondFloorAtMost = (bytes: number, text: string): Target => ({
  text,
  met: (r) => r.floor !== null && r.value - r.floor <= bytes,
});

const TARGETS: Array<[RegExp, Target]> = [
  [/^cold_start\.in_process\.sequential$/, atMost(1, "ms")],
  [/^cold_start\.http\.sequential$/, atMost(2, "ms")],
  [/^cold_start\.(in_process|http)\.concurrent$/, atLeast(5_000, "actors/s")],
  [/^wake\.in_process$/, atMost(1, "ms")],
  [/^memory_per_actor\.live_\d+\.heap$/, beyondFloorAtMost(1024, "≤ 1 KB beyond the floor")],
  // "~0 per sleeping actor": we read it as under 64 bytes each (a few words of bookkeeping).
  [/^memory_per_actor\.asleep_\d+\.heap$/, { text: "~0 (< 64 B)", met: (r) => r.value < 64 }],
  [/^action_latency\.(http|ws_json|ws_cbor)$/, ratioAtMost(1.5, "bare echo")],
  [/^action_throughput\.ws$/, atLeast(50_000, "actions/s")],
  [/^broadcast\.ws$/, atLeast(1_000_000, "deliveries/s")],
  [/^durable_writes\.strict$/, atLeast(50_000, "writes/s")],
];

export function targetFor(name: string): Target | undefined {
  return TARGETS.find(([pattern]) => pattern.test(name))?.[1];
}
