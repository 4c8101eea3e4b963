// The typed errors of schedules and cron jobs (their codes are listed in error-codes.ts).

import { defineErrorCodes } from "../../base/error-codes.ts";
import { ActorError } from "../../base/errors.ts";

export const scheduleErrors = {
  invalidName: (name: unknown) =>
    new ActorError("schedule", "invalid_name", `A cron job name is a string of 1 to 128 bytes, got ${JSON.stringify(name)}.`),
  invalidTime: (value: unknown) =>
    new ActorError("schedule", "invalid_time", `A schedule time must be a finite number of milliseconds, got ${String(value)}.`),
  invalidInterval: (value: unknown, min: number) =>
    new ActorError(
      "schedule",
      "invalid_interval",
      `An interval must be a number of milliseconds of at least ${min}, got ${String(value)}.`,
      {
        metadata: { min },
      },
    ),
  invalidMaxHistory: (value: unknown) =>
    new ActorError("schedule", "invalid_max_history", `maxHistory must be an integer from 0 to 1000, got ${String(value)}.`),
  invalidTimezone: (timezone: unknown) =>
    new ActorError(
      "schedule",
      "invalid_timezone",
      `Unknown time zone ${JSON.stringify(timezone)}; use an IANA name such as "Europe/Paris".`,
    ),
  invalidCron: (expression: string, reason: string) =>
    new ActorError("schedule", "invalid_cron_expression", `Invalid cron expression "${expression}": ${reason}.`, {
      metadata: { expression },
    }),
  tooMany: (limit: number) =>
    new ActorError("schedule", "max_schedules_exceeded", `The actor already has ${limit} pending schedules (maxSchedules).`, {
      metadata: { limit },
    }),
};

/** The codes of these errors, with their HTTP status. */
export const SCHEDULE_ERROR_CODES = defineErrorCodes({
  "schedule.invalid_time": { status: 400, description: "A schedule time or delay is not a finite number of milliseconds." },
  "schedule.invalid_name": { status: 400, description: "A cron job name must be a string of 1 to 128 bytes." },
  "schedule.invalid_cron_expression": {
    status: 400,
    description: "The cron expression is not five valid fields (minute hour day-of-month month day-of-week).",
  },
  "schedule.invalid_timezone": { status: 400, description: "The time zone is not a known IANA name." },
  "schedule.invalid_interval": { status: 400, description: "c.cron.every needs an interval of at least 5000 ms." },
  "schedule.invalid_max_history": { status: 400, description: "maxHistory must be an integer from 0 to 1000." },
  "schedule.max_schedules_exceeded": {
    status: 400,
    description: "The actor has maxSchedules pending schedules and cron jobs (1000 by default).",
  },
});
