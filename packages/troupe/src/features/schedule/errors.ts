// The typed errors of schedules and cron jobs (their codes are listed in error-codes.ts).

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
