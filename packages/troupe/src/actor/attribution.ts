// Which actor an error belongs to, for errors the runtime hands to actor code (a failed commit, a
// write after the stop): when actor code drops such a promise, the process-level handler of
// unhandled rejections (server/node/rejections.ts) logs it against that actor.

import type { Logger } from "pino";

const owners = new WeakMap<object, Logger>();

/** Marks `error` as `log`'s actor's (the instance's logger carries its name, key and id); returns it. */
export function attribute<E>(error: E, log: Logger): E {
  if (typeof error === "object" && error !== null && !owners.has(error)) owners.set(error, log);
  return error;
}

/** The logger of the actor `error` was attributed to, if any. */
export function attributedLog(error: unknown): Logger | undefined {
  return typeof error === "object" && error !== null ? owners.get(error) : undefined;
}
