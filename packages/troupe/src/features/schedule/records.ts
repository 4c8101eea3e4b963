// How schedules sit in the actor's key-value namespace, under SCHEDULE_PREFIX:
//   [schedule, 0x01, id:utf8]     a one-shot schedule (`c.schedule.after/at`)
//   [schedule, 0x02, name:utf8]   a recurring job (`c.cron.set/every`)
//   [schedule, 0x03, name:utf8]   a recurring job's run history

/** The byte in front of every key of the schedule feature. */
export const SCHEDULE_PREFIX = 0x04;

const utf8 = new TextEncoder();
const utf8Decode = new TextDecoder();

export const ONE_SHOT = 0x01;
export const JOB = 0x02;
export const HISTORY = 0x03;

export interface StoredOneShot {
  id: string;
  action: string;
  args: unknown[];
  runAt: number;
  createdAt: number;
}

export type Cadence = { kind: "cron"; expression: string; timezone: string } | { kind: "every"; interval: number };

export type StoredJob = Cadence & {
  name: string;
  action: string;
  args: unknown[];
  nextRunAt: number;
  lastRunAt?: number;
  maxHistory: number;
  createdAt: number;
};

export interface CronFire {
  action: string;
  /** When the run was due. */
  scheduledAt: number;
  /** When it started (or was skipped). */
  firedAt: number;
  finishedAt?: number;
  /** "skipped": the previous run was still going when this one was due. */
  result: "running" | "ok" | "error" | "skipped";
  error?: string;
}

export function scheduleKey(kind: number, name: string): Uint8Array {
  const bytes = utf8.encode(name);
  const out = new Uint8Array(bytes.byteLength + 2);
  out[0] = SCHEDULE_PREFIX;
  out[1] = kind;
  out.set(bytes, 2);
  return out;
}

/** The kind byte and the id or name of a schedule key. */
export function parseScheduleKey(key: Uint8Array): [kind: number, name: string] {
  return [key[1] ?? 0, utf8Decode.decode(key.subarray(2))];
}
