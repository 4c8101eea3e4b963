// The history as the inspector and tests read it: the workflow's record and every entry (steps,
// sleeps, loops, ...) in the order the code reached them, with status, attempts, errors and
// timings. The same shape, saved as JSON, is what a replay takes as a fixture.

import type { History, StoredEntry } from "./history.ts";
import { formatPath, type PathSegment, pathId } from "./path.ts";
import type { EntryRecord, WorkflowRecord } from "./records.ts";

export type HistoryEntry = EntryRecord & {
  /** Scope names and loop iterations, then the entry's own name. */
  path: PathSegment[];
  /** The path for people: `order/charge`, `poll[3]/fetch`. */
  location: string;
};

export interface WorkflowHistory {
  workflow: WorkflowRecord;
  entries: HistoryEntry[];
}

/** `history` in that shape, or null if no workflow started. */
export function exportHistory(history: History): WorkflowHistory | null {
  if (history.workflow === undefined) return null;
  const stored = history.entries();
  const seqOf = new Map<string, number>(stored.map(({ path, record }) => [pathId(path), record.seq]));
  const order = (entry: StoredEntry) =>
    entry.path.map((segment, i) => (typeof segment === "number" ? segment : (seqOf.get(pathId(entry.path.slice(0, i + 1))) ?? 0)));
  const sorted = stored.map((entry) => ({ entry, key: order(entry) })).sort((a, b) => compareKeys(a.key, b.key));
  return {
    workflow: history.workflow,
    entries: sorted.map(({ entry }) => ({ ...entry.record, path: entry.path, location: formatPath(entry.path) })),
  };
}

export function importHistory(history: WorkflowHistory): StoredEntry[] {
  return history.entries.map(({ path, location: _, ...record }) => ({ path, record }));
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}
