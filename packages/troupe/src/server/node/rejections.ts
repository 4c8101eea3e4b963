// The process-level handler of unhandled promise rejections that a server installs: a promise that
// actor code dropped (an un-awaited `c.kv.put` failing during a stop) is logged, against its actor
// when the runtime knows which one, and never ends the process (Node's default would).

import type { Logger } from "pino";
import { attributedLog } from "../../actor/attribution.ts";

let logger: Logger | undefined;

/** Installs the handler once per process; the latest server's logger writes what it cannot attribute. */
export function logUnhandledRejections(serverLogger: Logger): void {
  if (logger === undefined) process.on("unhandledRejection", onUnhandledRejection);
  logger = serverLogger;
}

function onUnhandledRejection(reason: unknown): void {
  const actorLog = attributedLog(reason);
  if (actorLog) actorLog.error({ err: reason }, "unhandled rejection in actor code (a promise nobody awaited)");
  else logger?.error({ err: reason }, "unhandled rejection (a promise nobody awaited); the server keeps running");
}
