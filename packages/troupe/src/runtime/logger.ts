// The registry's default logger: JSON lines (what `troupe start` prints, for log collectors), or
// coloured human-readable lines when TROUPE_LOG_FORMAT=pretty (what `troupe dev` sets). Pretty
// printing runs in pino's transport worker, so that only a pretty logger loads pino-pretty.

import { type Logger, pino } from "pino";
import { errors } from "../base/errors.ts";
import { LOG_FORMAT_ENV, LOG_LEVEL_ENV } from "./log-env.ts";
const DEFAULT_LEVEL = "warn";

export function defaultLogger(level: string | undefined, env: Record<string, string | undefined>): Logger {
  const options = { level: level ?? (env[LOG_LEVEL_ENV] || DEFAULT_LEVEL) };
  const format = env[LOG_FORMAT_ENV] || "json";
  if (format === "json") return pino(options);
  if (format !== "pretty") throw errors.config(`${LOG_FORMAT_ENV} must be "json" or "pretty", not ${JSON.stringify(format)}.`);
  return pino({
    ...options,
    transport: {
      target: "pino-pretty",
      options: {
        colorize: env.NO_COLOR === undefined || env.NO_COLOR === "",
        translateTime: "SYS:HH:MM:ss.l",
        ignore: "pid,hostname,actor,key,actorId",
        // One line per entry: the other fields follow the message as JSON.
        singleLine: true,
        // The actor a line is about leads it: name, key and id.
        messageFormat: "{if actor}{actor} {key} {actorId} | {end}{msg}",
      },
    },
  });
}
