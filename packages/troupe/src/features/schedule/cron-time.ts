// Cron expressions (standard five fields) and time zones, through croner, the maintained parser.

import { Cron } from "croner";
import { scheduleErrors } from "./errors.ts";

export function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    throw scheduleErrors.invalidTimezone(timezone);
  }
}

function parse(expression: string, timezone: string): Cron {
  try {
    return new Cron(expression, { timezone, mode: "5-part", paused: true });
  } catch (error) {
    throw scheduleErrors.invalidCron(expression, error instanceof Error ? error.message : String(error));
  }
}

/** Throws a typed error unless `expression` is a valid five-field cron expression in `timezone`. */
export function checkCron(expression: string, timezone: string): void {
  checkTimezone(timezone);
  if (typeof expression !== "string" || expression.trim().split(/\s+/).length !== 5) {
    throw scheduleErrors.invalidCron(
      String(expression),
      "a cron expression has exactly five fields: minute hour day-of-month month day-of-week",
    );
  }
  if (parse(expression, timezone).nextRun() === null) throw scheduleErrors.invalidCron(expression, "it never runs");
}

/** The first run strictly after `after` (ms), or undefined if there is none. */
export function nextCronRun(expression: string, timezone: string, after: number): number | undefined {
  return parse(expression, timezone).nextRun(new Date(after))?.getTime();
}
