// The actor's one-shot schedules and cron jobs with their run history (live, or as stored while
// it sleeps), and cancelling one.

import type { Hono } from "hono";
import type { ActorInstance } from "../../actor/instance.ts";
import { decodeCbor } from "../../base/cbor.ts";
import type { ScheduleFeature } from "../../features/schedule/feature.ts";
import { SCHEDULE } from "../../features/schedule/key.ts";
import {
  type CronFire,
  HISTORY,
  JOB,
  ONE_SHOT,
  parseScheduleKey,
  SCHEDULE_PREFIX,
  type StoredJob,
  type StoredOneShot,
} from "../../features/schedule/records.ts";
import { type InspectorContext, inspectorWrite, type Located, locate } from "../actors.ts";
import { inspectorErrors } from "../errors.ts";
import { toJsonView } from "../json-view.ts";

interface Schedules {
  oneShots: StoredOneShot[];
  jobs: StoredJob[];
  /** Runs of a job, newest first. */
  history(name: string): CronFire[];
}

// Every actor can schedule: the feature is always there.
const scheduleOf = (instance: ActorInstance) => instance.feature(SCHEDULE) as ScheduleFeature;

async function readSchedules(ctx: InspectorContext, actor: Located): Promise<Schedules> {
  if (actor.instance !== undefined) {
    const feature = scheduleOf(actor.instance);
    return { oneShots: [...feature.oneShots.values()], jobs: [...feature.jobs.values()], history: (name) => feature.history(name) };
  }
  const oneShots: StoredOneShot[] = [];
  const jobs: StoredJob[] = [];
  const histories = new Map<string, CronFire[]>();
  for (const [key, value] of await ctx.host().driver.list(actor.id, { prefix: new Uint8Array([SCHEDULE_PREFIX]) })) {
    const [kind, name] = parseScheduleKey(key);
    if (kind === ONE_SHOT) oneShots.push(decodeCbor(value) as StoredOneShot);
    else if (kind === JOB) jobs.push(decodeCbor(value) as StoredJob);
    else if (kind === HISTORY) histories.set(name, decodeCbor(value) as CronFire[]);
  }
  return { oneShots, jobs, history: (name) => [...(histories.get(name) ?? [])].reverse() };
}

export function scheduleRoutes(api: Hono, ctx: InspectorContext): void {
  api.get("/actors/:id/schedules", async (c) => {
    const actor = await locate(ctx.host(), c.req.param("id"));
    const { oneShots, jobs, history } = await readSchedules(ctx, actor);
    const schedules = oneShots
      .sort((a, b) => a.runAt - b.runAt || a.createdAt - b.createdAt)
      .map((s) => ({ id: s.id, action: s.action, args: toJsonView(s.args), runAt: s.runAt, createdAt: s.createdAt }));
    const cron = jobs
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((job) => ({
        name: job.name,
        kind: job.kind,
        expression: job.kind === "cron" ? job.expression : null,
        timezone: job.kind === "cron" ? job.timezone : null,
        interval: job.kind === "every" ? job.interval : null,
        action: job.action,
        args: toJsonView(job.args),
        nextRunAt: job.nextRunAt,
        lastRunAt: job.lastRunAt ?? null,
        maxHistory: job.maxHistory,
        createdAt: job.createdAt,
        history: history(job.name).map((fire) => ({
          action: fire.action,
          scheduledAt: fire.scheduledAt,
          firedAt: fire.firedAt,
          finishedAt: fire.finishedAt ?? null,
          result: fire.result,
          error: fire.error ?? null,
        })),
      }));
    return c.json({ schedules, cron });
  });

  api.delete("/actors/:id/schedules/:scheduleId", async (c) => {
    const actor = await locate(ctx.host(), c.req.param("id"));
    const id = c.req.param("scheduleId");
    // Looked up first, so that an unknown one does not wake the actor.
    if (!(await readSchedules(ctx, actor)).oneShots.some((s) => s.id === id)) throw inspectorErrors.notFound("schedule", id);
    const cancelled = await inspectorWrite(ctx, c, actor, (instance) => scheduleOf(instance).deleteOneShot(id));
    if (!cancelled) throw inspectorErrors.notFound("schedule", id);
    return c.json({ cancelled: true });
  });

  api.delete("/actors/:id/cron/:name", async (c) => {
    const actor = await locate(ctx.host(), c.req.param("id"));
    const name = c.req.param("name");
    if (!(await readSchedules(ctx, actor)).jobs.some((j) => j.name === name)) throw inspectorErrors.notFound("cron job", name);
    const deleted = await inspectorWrite(ctx, c, actor, (instance) => scheduleOf(instance).deleteJob(name));
    if (!deleted) throw inspectorErrors.notFound("cron job", name);
    return c.json({ deleted: true });
  });
}
