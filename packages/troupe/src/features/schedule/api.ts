// `c.schedule` (one-shot: run an action later) and `c.cron` (recurring jobs). Every change
// resolves once it is durable; schedules survive sleep and restarts and wake the actor.

import { checkCron, checkTimezone, nextCronRun } from "./cron-time.ts";
import { scheduleErrors } from "./errors.ts";
import type { ScheduleFeature } from "./feature.ts";
import type { StoredJob } from "./records.ts";
import type { CronEveryOptions, CronFire, CronJobInfo, CronSetOptions, ScheduledEventInfo } from "./types.ts";

const MAX_NAME_BYTES = 128;
const MAX_HISTORY = 1000;
const DEFAULT_HISTORY = 100;
export const MIN_INTERVAL = 5_000;

export class ActorSchedule {
  readonly #feature: ScheduleFeature;

  /** @internal */
  constructor(feature: ScheduleFeature) {
    this.#feature = feature;
  }

  /** Runs action `action` with `args` in `delay` ms; returns the schedule id. */
  after(delay: number, action: string, ...args: unknown[]): Promise<string> {
    if (typeof delay !== "number" || !Number.isFinite(delay)) throw scheduleErrors.invalidTime(delay);
    return this.at(Date.now() + Math.max(0, delay), action, ...args);
  }

  /** Runs action `action` with `args` at `timestamp` (ms since the epoch; a past time runs at once). */
  async at(timestamp: number, action: string, ...args: unknown[]): Promise<string> {
    if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) throw scheduleErrors.invalidTime(timestamp);
    this.#feature.checkAction(action);
    this.#feature.checkRoom(1);
    const id = crypto.randomUUID();
    await this.#feature.putOneShot({ id, action, args, runAt: timestamp, createdAt: Date.now() });
    return id;
  }

  /** Cancels a pending schedule; false if there is none with this id (or it already ran). */
  cancel(id: string): Promise<boolean> {
    return this.#feature.deleteOneShot(id);
  }

  async get(id: string): Promise<ScheduledEventInfo | undefined> {
    const s = this.#feature.oneShots.get(id);
    return s && { id: s.id, action: s.action, args: structuredClone(s.args), runAt: s.runAt, createdAt: s.createdAt };
  }

  /** Pending schedules, soonest first. */
  async list(): Promise<ScheduledEventInfo[]> {
    const all = [...this.#feature.oneShots.keys()].map((id) => this.get(id));
    const infos = (await Promise.all(all)).filter((s) => s !== undefined);
    return infos.sort((a, b) => a.runAt - b.runAt);
  }
}

export class ActorCron {
  readonly #feature: ScheduleFeature;

  /** @internal */
  constructor(feature: ScheduleFeature) {
    this.#feature = feature;
  }

  /**
   * Creates or replaces job `name`, running `action` on a cron expression. Replacing keeps the
   * next run time unless the expression or time zone changed.
   */
  async set(options: CronSetOptions): Promise<CronJobInfo> {
    const timezone = options.timezone ?? "UTC";
    checkTimezone(timezone);
    checkCron(options.expression, timezone);
    const old = this.#feature.jobs.get(checkName(options.name));
    const same = old?.kind === "cron" && old.expression === options.expression && old.timezone === timezone;
    const nextRunAt = same ? old.nextRunAt : nextCronRun(options.expression, timezone, Date.now());
    if (nextRunAt === undefined) throw scheduleErrors.invalidCron(options.expression, "it never runs again");
    return this.#put(old, { kind: "cron", expression: options.expression, timezone, nextRunAt }, options);
  }

  /** Creates or replaces job `name`, running `action` every `interval` ms (the first run one interval from now). */
  async every(options: CronEveryOptions): Promise<CronJobInfo> {
    const { interval } = options;
    if (typeof interval !== "number" || !Number.isFinite(interval) || interval < MIN_INTERVAL) {
      throw scheduleErrors.invalidInterval(interval, MIN_INTERVAL);
    }
    const old = this.#feature.jobs.get(checkName(options.name));
    const same = old?.kind === "every" && old.interval === interval;
    const nextRunAt = same ? old.nextRunAt : Date.now() + interval;
    return this.#put(old, { kind: "every", interval, nextRunAt }, options);
  }

  async get(name: string): Promise<CronJobInfo | undefined> {
    const job = this.#feature.jobs.get(name);
    return job && infoOf(job);
  }

  /** Every job, by name. */
  async list(): Promise<CronJobInfo[]> {
    return [...this.#feature.jobs.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map(infoOf);
  }

  /** Deletes job `name` and its history; false if there is none. */
  delete(name: string): Promise<boolean> {
    return this.#feature.deleteJob(name);
  }

  /** Runs of job `name`, newest first (at most `limit`). */
  async history(name: string, options: { limit?: number } = {}): Promise<CronFire[]> {
    const runs = this.#feature.history(name);
    return structuredClone(options.limit === undefined ? runs : runs.slice(0, Math.max(0, options.limit)));
  }

  async #put(
    old: StoredJob | undefined,
    cadence: ({ kind: "cron"; expression: string; timezone: string } | { kind: "every"; interval: number }) & { nextRunAt: number },
    options: { name: string; action: string; args?: unknown[]; maxHistory?: number },
  ): Promise<CronJobInfo> {
    this.#feature.checkAction(options.action);
    if (!old) this.#feature.checkRoom(1);
    const maxHistory = options.maxHistory ?? DEFAULT_HISTORY;
    if (!Number.isInteger(maxHistory) || maxHistory < 0 || maxHistory > MAX_HISTORY) throw scheduleErrors.invalidMaxHistory(maxHistory);
    const job: StoredJob = {
      ...cadence,
      name: options.name,
      action: options.action,
      args: options.args ?? [],
      maxHistory,
      createdAt: old?.createdAt ?? Date.now(),
    };
    if (old?.lastRunAt !== undefined) job.lastRunAt = old.lastRunAt;
    await this.#feature.putJob(job);
    return infoOf(job);
  }
}

function checkName(name: unknown): string {
  if (typeof name !== "string" || name === "" || new TextEncoder().encode(name).byteLength > MAX_NAME_BYTES) {
    throw scheduleErrors.invalidName(name);
  }
  return name;
}

function infoOf(job: StoredJob): CronJobInfo {
  const base = {
    name: job.name,
    action: job.action,
    args: structuredClone(job.args),
    nextRunAt: job.nextRunAt,
    maxHistory: job.maxHistory,
    ...(job.lastRunAt === undefined ? {} : { lastRunAt: job.lastRunAt }),
  };
  return job.kind === "cron"
    ? { ...base, kind: "cron", expression: job.expression, timezone: job.timezone }
    : { ...base, kind: "every", interval: job.interval };
}
