// What `c.schedule` and `c.cron` return, and what a fired action receives.

import type { StoredJob } from "./records.ts";

export type { CronFire } from "./records.ts";

export interface ScheduledEventInfo {
  id: string;
  action: string;
  args: unknown[];
  /** When it fires (ms since the epoch). */
  runAt: number;
  createdAt: number;
}

/** A recurring job as `c.cron.get/list` describe it: what the store keeps, less its creation time. */
export type CronJobInfo = StoredJob extends infer Job ? (Job extends unknown ? Omit<Job, "createdAt"> : never) : never;

/** Passed as the last argument to every action run by a schedule or a cron job. */
export interface ScheduledFireInfo {
  kind: "at" | "cron" | "every";
  /** The schedule id (one-shot) or the job name (recurring). */
  id: string;
  name?: string;
  /** When the run was due; earlier than `firedAt` when it caught up after downtime. */
  scheduledAt: number;
  firedAt: number;
}

export interface CronSetOptions {
  /** Unique per actor; setting an existing name replaces that job. */
  name: string;
  /** Five fields: minute hour day-of-month month day-of-week. */
  expression: string;
  action: string;
  args?: unknown[];
  /** IANA time zone the expression is read in. Default "UTC". */
  timezone?: string;
  /** Runs kept in `history(name)`. Default 100, at most 1000; 0 keeps none. */
  maxHistory?: number;
}

export interface CronEveryOptions {
  name: string;
  /** Milliseconds between runs, at least 5000; runs are anchored to their due times (no drift). */
  interval: number;
  action: string;
  args?: unknown[];
  maxHistory?: number;
}
