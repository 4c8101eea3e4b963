// What the workflow history stores, under WORKFLOW_BYTE of the actor's key-value namespace:
//   [workflow, 0x00]              the workflow's own record (status, output, seed)
//   [workflow, 0x01, path...]     one record per entry (step, sleep, loop, ...), see path.ts

import { decodeCbor, encodeCbor } from "../../../base/cbor.ts";
import type { ErrorInfo } from "./error-info.ts";
import { decodePath, encodePath, type Path, type PathSegment } from "./path.ts";

export type EntryKind = "step" | "sleep" | "message" | "loop" | "join" | "race" | "checkpoint" | "version" | "removed";

/**
 * running: a step attempt (or a loop, join or race) is under way; retrying: a step failed and waits
 * for `retryAt`; waiting: a sleep or queue wait; completed; failed: terminal, replayed as a failure.
 */
export type EntryStatus = "running" | "retrying" | "waiting" | "completed" | "failed";

/** How far a step's attempts (or its rollback's) went. */
export interface AttemptProgress {
  status: "running" | "retrying" | "completed" | "failed";
  /** Attempts started (one cut short by a crash counts here)... */
  attempts: number;
  /** ...and attempts that failed (what the retry budget counts). */
  failures: number;
  retryAt?: number;
  error?: ErrorInfo;
  /** How a failed step failed: it threw a CriticalError, timed out, or used up its retries. */
  failure?: "critical" | "timeout" | "exhausted";
  completedAt?: number;
}

export interface EntryRecord {
  kind: EntryKind;
  name: string;
  /** Position among the entries of its scope, in the order the code reached them. */
  seq: number;
  status: EntryStatus;
  startedAt: number;
  updatedAt: number;
  completedAt?: number;
  output?: unknown;
  error?: ErrorInfo;
  /** step: see AttemptProgress. */
  attempts?: number;
  failures?: number;
  retryAt?: number;
  failure?: AttemptProgress["failure"];
  /** sleep: when it ends. */
  deadline?: number;
  /** loop: the current iteration, its state, and when it started. */
  iteration?: number;
  state?: unknown;
  iterationStartedAt?: number;
  /** race: the branch that settled first. */
  winner?: string;
  /** version: the version this workflow runs at that point. */
  version?: number;
  /** removed: the kind of the entry it stands in for. */
  removedKind?: EntryKind;
  /** message: whether the workflow has completed the queue message (completable receives). */
  messageCompleted?: boolean;
  rollback?: AttemptProgress;
}

/** running: in progress or waiting; blocked: the code does not match the history (not terminal). */
export type WorkflowStatus = "running" | "rolling_back" | "completed" | "failed" | "blocked";

export interface WorkflowRecord {
  status: WorkflowStatus;
  startedAt: number;
  updatedAt: number;
  completedAt?: number;
  output?: unknown;
  error?: ErrorInfo;
  /** Seeds ctx.random(), so replays draw the same numbers. */
  seed: number;
}

/** The byte in front of every key of the workflow feature. */
export const WORKFLOW_BYTE = 0x05;
export const WORKFLOW_PREFIX = new Uint8Array([WORKFLOW_BYTE]);
export const META_KEY = new Uint8Array([WORKFLOW_BYTE, 0x00]);
const ENTRY_TAG = 0x01;

export function entryKey(path: Path): Uint8Array {
  const encoded = encodePath(path);
  const out = new Uint8Array(encoded.length + 2);
  out[0] = WORKFLOW_BYTE;
  out[1] = ENTRY_TAG;
  out.set(encoded, 2);
  return out;
}

/** The path of an entry key, or undefined for the workflow record. */
export function entryPath(key: Uint8Array): PathSegment[] | undefined {
  return key[1] === ENTRY_TAG ? decodePath(key.subarray(2)) : undefined;
}

export function encodeRecord(record: EntryRecord | WorkflowRecord): Uint8Array {
  return encodeCbor(record);
}

export function decodeRecord<T extends EntryRecord | WorkflowRecord>(bytes: Uint8Array): T {
  return decodeCbor(bytes) as T;
}

/** `value` as it reads back from storage, so live code sees exactly what a replay will. */
export function storedCopy<T>(value: T): T {
  return value === undefined ? value : (decodeCbor(encodeCbor(value)) as T);
}
