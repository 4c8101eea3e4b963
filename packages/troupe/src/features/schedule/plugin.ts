// Schedules and cron as a feature: `c.schedule`, `c.cron` and the schedule limit.

import type { FeaturePlugin, FeatureServices } from "../../actor/feature.ts";
import { positiveInteger } from "../../actor/options.ts";
import type { ActorCron, ActorSchedule } from "./api.ts";
import { ScheduleFeature } from "./feature.ts";
import { SCHEDULE_ERROR_CODES } from "./errors.ts";
import { SCHEDULE } from "./key.ts";
import { SCHEDULE_PREFIX } from "./records.ts";

declare module "../../actor/context.ts" {
  interface ActorContext<S, CP, CS, V, Q, DB> {
    /** One-shot schedules: run an action later (`after`, `at`), durably, waking the actor. */
    readonly schedule: ActorSchedule;
    /** Recurring jobs: run an action on a cron expression (`set`) or an interval (`every`). */
    readonly cron: ActorCron;
  }
}

declare module "../../actor/options.ts" {
  interface ActorOptions {
    /** Pending one-shot schedules and cron jobs, together; one more fails with `schedule.max_schedules_exceeded`. Default 1000. */
    maxSchedules?: number;
  }
}

const scheduleOf = (services: FeatureServices) => services.feature(SCHEDULE) as ScheduleFeature;

export const scheduleFeature: FeaturePlugin<ScheduleFeature> = {
  key: SCHEDULE,
  options: { maxSchedules: positiveInteger(1000) },
  errorCodes: SCHEDULE_ERROR_CODES,
  storagePrefix: SCHEDULE_PREFIX,
  context: {
    schedule: (_c, services) => scheduleOf(services).api().schedule,
    cron: (_c, services) => scheduleOf(services).api().cron,
  },
  // Every actor can schedule; the feature allocates its data on first use.
  create: (services) => new ScheduleFeature(services),
};
