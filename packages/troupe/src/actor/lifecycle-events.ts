// The events an instance's start and stop give its observer (the inspector's stream, metrics,
// traces): built only when someone observes, with how long the start or stop took.

import type { StopKind } from "./feature.ts";
import type { ActorInstance, StartMode } from "./instance.ts";
import type { StopReason } from "./observer.ts";

/** The start of `instance` begun at `startedAt` (performance.now()) ended, with `error` if it failed. */
export function notifyStarted(instance: ActorInstance, mode: StartMode, startedAt: number, error: unknown): void {
  const observer = instance.observer;
  if (observer === undefined) return;
  const cause = mode.kind === "create" ? "create" : (mode.cause ?? "other");
  const event = {
    type: "actor.started",
    actor: instance,
    at: Date.now(),
    mode: mode.kind,
    cause,
    durationMs: performance.now() - startedAt,
  } as const;
  observer.notify(error === undefined ? event : { ...event, error });
}

/** `instance` stopped; `startedAt` is when its stop began (0: it was dropped at once). */
export function notifyStopped(instance: ActorInstance, kind: StopKind, reason: StopReason, startedAt: number): void {
  const observer = instance.observer;
  if (observer === undefined) return;
  const durationMs = startedAt === 0 ? 0 : performance.now() - startedAt;
  observer.notify({ type: "actor.stopped", actor: instance, at: Date.now(), kind, reason, durationMs });
}
