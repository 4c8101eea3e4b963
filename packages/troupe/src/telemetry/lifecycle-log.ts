// The lifecycle of every actor at debug level (TROUPE_LOG_LEVEL=debug): wake with its cause, sleep
// with its reason, each commit, and a fence (another activation owning the actor). Each line has
// the actor's name, key and id, and an `event` field to filter on.

import type { Logger } from "pino";
import type { ActorEvent, ActorObserver, ObservedActor } from "../actor/observer.ts";
import type { ActorHost } from "../host/host.ts";

/** Logs `host`'s actor lifecycle when its logger is at debug level or finer; returns what stops it. */
export function logLifecycle(host: ActorHost): (() => void) | undefined {
  return host.logger.isLevelEnabled("debug") ? host.observe(new LifecycleLog(host.logger)) : undefined;
}

const ms = (duration: number) => Math.round(duration * 100) / 100;

export class LifecycleLog implements ActorObserver {
  readonly observesState = false;
  readonly #logger: Logger;
  readonly #children = new WeakMap<ObservedActor, Logger>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  #log(actor: ObservedActor): Logger {
    let log = this.#children.get(actor);
    if (log === undefined) {
      log = this.#logger.child({ actor: actor.name, key: actor.key, actorId: actor.id });
      this.#children.set(actor, log);
    }
    return log;
  }

  notify(event: ActorEvent): void {
    switch (event.type) {
      case "actor.started": {
        const durationMs = ms(event.durationMs);
        const fields = { event: event.mode === "create" ? "create" : "wake", cause: event.cause, durationMs };
        if (event.error !== undefined)
          this.#log(event.actor).debug({ ...fields, err: event.error }, `start failed (cause: ${event.cause})`);
        else if (event.mode === "create") this.#log(event.actor).debug(fields, `created in ${durationMs} ms`);
        else this.#log(event.actor).debug(fields, `woke (cause: ${event.cause}) in ${durationMs} ms`);
        return;
      }
      case "actor.stopped": {
        const fields = { event: event.kind === "destroy" ? "destroy" : "sleep", reason: event.reason, durationMs: ms(event.durationMs) };
        this.#log(event.actor).debug(
          fields,
          event.kind === "destroy" ? `destroyed (reason: ${event.reason})` : `slept (reason: ${event.reason})`,
        );
        return;
      }
      case "commit": {
        const { writes, bytes, groupSize, stateWritten, error } = event;
        const durationMs = ms(event.durationMs);
        if (error === undefined) {
          this.#log(event.actor).debug(
            { event: "commit", writes, bytes, stateWritten, groupSize, durationMs },
            `committed ${writes} write${writes === 1 ? "" : "s"} (${bytes} bytes, group of ${groupSize}) in ${durationMs} ms`,
          );
        } else if ((error as { code?: unknown }).code === "fenced") {
          this.#log(event.actor).debug(
            { event: "fence", err: error },
            "fenced: another activation owns this actor; its commit was refused",
          );
        } else {
          this.#log(event.actor).debug({ event: "commit", writes, bytes, groupSize, durationMs, err: error }, "commit failed");
        }
        return;
      }
    }
  }
}
