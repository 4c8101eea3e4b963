// The schedule feature of one instance: one-shot schedules and recurring jobs, kept in memory and
// in storage, fired through the instance's durable alarm (which wakes a sleeping actor).

import { copyValue } from "../../actor/copy.ts";
import type { Feature, FeatureServices, StartKind } from "../../actor/feature.ts";
import { decodeCbor, encodeCbor } from "../../base/cbor.ts";
import { errors } from "../../base/errors.ts";
import { ActorCron, ActorSchedule } from "./api.ts";
import { nextCronRun } from "./cron-time.ts";
import { scheduleErrors } from "./errors.ts";
import {
  type CronFire,
  HISTORY,
  JOB,
  ONE_SHOT,
  parseScheduleKey,
  SCHEDULE_PREFIX,
  type StoredJob,
  type StoredOneShot,
  scheduleKey,
} from "./records.ts";
import type { ScheduledFireInfo } from "./types.ts";

interface ScheduleData {
  oneShots: Map<string, StoredOneShot>;
  jobs: Map<string, StoredJob>;
  history: Map<string, CronFire[]>;
  /** Jobs with a run in progress: a run due meanwhile is skipped. */
  running: Set<string>;
}

export class ScheduleFeature implements Feature {
  readonly instance: FeatureServices;
  #data: ScheduleData | undefined;
  #api: { schedule: ActorSchedule; cron: ActorCron } | undefined;

  constructor(instance: FeatureServices) {
    this.instance = instance;
  }

  /** Created on first use: every actor can schedule, most never do. */
  get #live(): ScheduleData {
    this.#data ??= { oneShots: new Map(), jobs: new Map(), history: new Map(), running: new Set() };
    return this.#data;
  }

  get oneShots(): Map<string, StoredOneShot> {
    return this.#live.oneShots;
  }

  get jobs(): Map<string, StoredJob> {
    return this.#live.jobs;
  }

  api(): { schedule: ActorSchedule; cron: ActorCron } {
    this.#api ??= { schedule: new ActorSchedule(this), cron: new ActorCron(this) };
    return this.#api;
  }

  async beforeStart(kind: StartKind): Promise<void> {
    // A new actor has nothing stored.
    if (kind === "create") return;
    const rows = await this.instance.list({ prefix: new Uint8Array([SCHEDULE_PREFIX]) });
    for (const [key, value] of rows) {
      const [kind, name] = parseScheduleKey(key);
      if (kind === ONE_SHOT) this.oneShots.set(name, decodeCbor(value) as StoredOneShot);
      else if (kind === JOB) this.jobs.set(name, decodeCbor(value) as StoredJob);
      else if (kind === HISTORY) {
        const history = decodeCbor(value) as CronFire[];
        this.#live.history.set(name, history);
        // A run that was going when the process stopped will never report back.
        if (history.some((f) => f.result === "running")) {
          for (const fire of history) if (fire.result === "running") Object.assign(fire, { result: "error", error: "interrupted" });
          this.#saveHistory(name);
        }
      }
    }
  }

  nextAlarm(): number | undefined {
    if (this.#data === undefined) return undefined;
    let next: number | undefined;
    for (const s of this.oneShots.values()) if (next === undefined || s.runAt < next) next = s.runAt;
    for (const j of this.jobs.values()) if (next === undefined || j.nextRunAt < next) next = j.nextRunAt;
    return next;
  }

  onAlarm(now: number): void {
    if (this.#data === undefined) return;
    const due = [...this.oneShots.values()].filter((s) => s.runAt <= now).sort((a, b) => a.runAt - b.runAt || a.createdAt - b.createdAt);
    for (const schedule of due) this.#fireOneShot(schedule, now);
    for (const job of [...this.jobs.values()]) if (job.nextRunAt <= now) this.#fireJob(job, now);
  }

  // ---- changes (each resolves once durable) ----

  checkRoom(adding: number): void {
    const limit = this.instance.def.options.maxSchedules;
    if (this.oneShots.size + this.jobs.size + adding > limit) throw scheduleErrors.tooMany(limit);
  }

  checkAction(action: string): void {
    if (!this.instance.def.actions.has(action)) throw errors.actionNotFound(action);
  }

  async putOneShot(schedule: StoredOneShot): Promise<void> {
    this.#assertWritable();
    schedule.args = copyValue(schedule.args);
    this.oneShots.set(schedule.id, schedule);
    this.#write(scheduleKey(ONE_SHOT, schedule.id), schedule);
    await this.#changed();
  }

  async deleteOneShot(id: string): Promise<boolean> {
    this.#assertWritable();
    if (!this.oneShots.delete(id)) return false;
    this.#write(scheduleKey(ONE_SHOT, id), undefined);
    await this.#changed();
    return true;
  }

  async putJob(job: StoredJob): Promise<void> {
    this.#assertWritable();
    job.args = copyValue(job.args);
    this.jobs.set(job.name, job);
    this.#write(scheduleKey(JOB, job.name), job);
    const history = this.#live.history.get(job.name);
    if (history && history.length > job.maxHistory) {
      history.splice(0, history.length - job.maxHistory);
      this.#saveHistory(job.name);
    }
    await this.#changed();
  }

  async deleteJob(name: string): Promise<boolean> {
    this.#assertWritable();
    if (!this.jobs.delete(name)) return false;
    this.#write(scheduleKey(JOB, name), undefined);
    this.#live.history.delete(name);
    this.#write(scheduleKey(HISTORY, name), undefined);
    await this.#changed();
    return true;
  }

  /** Runs of job `name`, newest first. */
  history(name: string): CronFire[] {
    return [...(this.#live.history.get(name) ?? [])].reverse();
  }

  // ---- firing ----

  #fireOneShot(schedule: StoredOneShot, now: number): void {
    // Removed as it fires: a one-shot runs at most once, and a failure is not retried.
    this.oneShots.delete(schedule.id);
    this.#write(scheduleKey(ONE_SHOT, schedule.id), undefined);
    const info: ScheduledFireInfo = { kind: "at", id: schedule.id, scheduledAt: schedule.runAt, firedAt: now };
    this.#invoke(schedule.action, schedule.args, info).catch((error: unknown) =>
      this.instance.log.error({ err: error, schedule: schedule.id, action: schedule.action }, "scheduled action failed"),
    );
  }

  #fireJob(job: StoredJob, now: number): void {
    const scheduledAt = job.nextRunAt;
    if (!this.instance.def.actions.has(job.action)) {
      this.instance.log.warn({ job: job.name, action: job.action }, "cron job deleted: its action no longer exists");
      void this.deleteJob(job.name).catch(() => {});
      return;
    }
    // Runs missed while asleep or down collapse into this one: the next is the first due after now.
    const next = nextRunAfter(job, now);
    if (next === undefined) {
      this.jobs.delete(job.name);
      this.#write(scheduleKey(JOB, job.name), undefined);
    } else {
      job.nextRunAt = next;
      job.lastRunAt = now;
      this.#write(scheduleKey(JOB, job.name), job);
    }
    const fire: CronFire = { action: job.action, scheduledAt, firedAt: now, result: "running" };
    if (this.#live.running.has(job.name)) {
      fire.result = "skipped";
      this.#record(job, fire);
      return;
    }
    this.#record(job, fire);
    this.#live.running.add(job.name);
    const info: ScheduledFireInfo = { kind: job.kind, id: job.name, name: job.name, scheduledAt, firedAt: now };
    this.#invoke(job.action, job.args, info)
      .then(
        () => {
          fire.result = "ok";
        },
        (error: unknown) => {
          fire.result = "error";
          fire.error = error instanceof Error ? error.message : String(error);
          this.instance.log.error({ err: error, job: job.name, action: job.action }, "cron job run failed");
        },
      )
      .finally(() => {
        fire.finishedAt = Date.now();
        this.#live.running.delete(job.name);
        if (this.instance.status !== "stopped" && this.#live.history.has(job.name)) this.#saveHistory(job.name);
      });
  }

  #invoke(action: string, args: unknown[], info: ScheduledFireInfo): Promise<unknown> {
    return this.instance.invoke(action, [...copyValue(args), info]);
  }

  #record(job: StoredJob, fire: CronFire): void {
    if (job.maxHistory === 0) return;
    let history = this.#live.history.get(job.name);
    if (!history) {
      history = [];
      this.#live.history.set(job.name, history);
    }
    history.push(fire);
    if (history.length > job.maxHistory) history.splice(0, history.length - job.maxHistory);
    this.#saveHistory(job.name);
  }

  #saveHistory(name: string): void {
    this.#write(scheduleKey(HISTORY, name), this.#live.history.get(name));
  }

  #write(key: Uint8Array, value: unknown): void {
    if (value === undefined) this.instance.writes.delete(key);
    else this.instance.writes.put(key, encodeCbor(value));
  }

  #assertWritable(): void {
    if (this.instance.status === "stopped") throw errors.stopping();
  }

  async #changed(): Promise<void> {
    this.instance.refreshAlarm();
    await this.instance.whenDurable();
  }
}

/** The first due time of `job` after `now`, on its own cadence. */
function nextRunAfter(job: StoredJob, now: number): number | undefined {
  if (job.kind === "cron") return nextCronRun(job.expression, job.timezone, now);
  const missed = Math.floor((now - job.nextRunAt) / job.interval) + 1;
  return job.nextRunAt + missed * job.interval;
}
