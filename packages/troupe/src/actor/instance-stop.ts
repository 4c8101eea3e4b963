// Stopping an instance (sleep or destroy): the features' stop, onSleep/onDestroy, the work in
// flight and the raw sockets' close handlers within the grace period, then the final commit; and
// the stops that save nothing (a lost instance, an abandoned one). The instance (instance.ts)
// hands over the parts of it that only its stops use.

import { errors, isActorError } from "../base/errors.ts";
import { withTimeout } from "../base/timers.ts";
import type { Connections } from "./connections.ts";
import type { StopKind } from "./feature.ts";
import type { FeatureSet } from "./feature-set.ts";
import type { ActorInstance } from "./instance.ts";
import { notifyStopped } from "./lifecycle-events.ts";
import type { StopReason } from "./observer.ts";
import type { PendingWrites } from "./pending-writes.ts";

/** What a stop uses of its instance beyond its public members. */
export interface StopParts {
  pending: PendingWrites;
  features: FeatureSet;
  connections: Connections | undefined;
  /** The kind of stop asked for by now (a sleep under way can become a destroy). */
  kind(): StopKind;
  /** Records a stop that saves nothing as under way and done (a later stop() resolves at once). */
  stoppedUnsaved(): void;
  /** Fires the abort signal: with `reason` when given, else only if someone asked for it. */
  abort(reason?: unknown): void;
  drain(): Promise<void>;
  /** Runs the close handlers registered with closeAtStop (raw WebSockets). */
  closeRaw(): Promise<void>;
  logRepeated(level: "warn" | "error", error: unknown, message: string): void;
}

export async function stopInstance(instance: ActorInstance, reason: StopReason, parts: StopParts): Promise<void> {
  const { pending, features } = parts;
  const startedAt = instance.host.observer === undefined ? 0 : performance.now();
  instance.status = "stopping";
  // Only a signal someone asked for needs aborting; one asked for later is born aborted.
  parts.abort();
  const work = (async () => {
    const kind = parts.kind();
    await features.stopping(kind, instance);
    const hook = kind === "destroy" ? instance.def.config.onDestroy : instance.def.config.onSleep;
    try {
      await hook?.(instance.context());
    } catch (error) {
      instance.log.error({ err: error }, `${kind === "destroy" ? "onDestroy" : "onSleep"} failed`);
    }
    await parts.drain();
    await parts.closeRaw();
    await parts.drain();
  })();
  const grace = instance.def.options.sleepGracePeriod;
  await withTimeout(work, grace, () => new Error(`grace period of ${grace} ms elapsed`)).catch((error: unknown) =>
    instance.log.warn({ err: error }, "stopping without waiting for the remaining work"),
  );
  void parts.closeRaw(); // what the grace period cut short
  const kind = parts.kind();
  if (kind === "destroy") {
    pending.destroy = true;
    parts.connections?.closeAll("actor destroyed");
  }
  try {
    await pending.flush();
  } catch (error) {
    parts.logRepeated("error", error, "final save failed");
  }
  instance.status = "stopped";
  await features.release(kind, instance);
  instance.host.stopped(instance, kind);
  notifyStopped(instance, kind, reason, startedAt);
}

/**
 * A commit of the instance's writes failed, or another activation owns the actor: what it holds in
 * memory may differ from storage, so it stops at once, saving nothing; the next call wakes the
 * actor from its last durable state (docs/reliability.md).
 */
export function loseInstance(instance: ActorInstance, error: Error, parts: StopParts): void {
  if (instance.status === "stopped") return;
  parts.pending.abandon(error);
  // A start or a stop under way sees its commit fail and ends the instance on its own path.
  if (instance.status === "starting" || instance.status === "stopping") return;
  const fenced = isActorError(error) && error.code === "fenced";
  const why = fenced ? "lost ownership of its storage" : "could not commit its writes";
  parts.logRepeated("warn", error, `instance ${why}; stopping without saving, the next call reloads its last durable state`);
  parts.abort(error);
  instance.status = "stopped";
  parts.stoppedUnsaved();
  void parts.features.release("sleep", instance);
  instance.host.stopped(instance, "sleep");
  notifyStopped(instance, "sleep", fenced ? "fenced" : "crashed", 0);
}

/** Drops the instance at once: nothing more is saved, nothing more runs (a simulated crash). */
export function abandonInstance(instance: ActorInstance, parts: StopParts): void {
  const error = errors.stopping();
  instance.status = "stopped";
  parts.pending.abandon(error);
  parts.abort(error);
  // A crash frees what the process held: an open database loses its uncommitted transaction.
  void parts.features.release("sleep", instance);
  notifyStopped(instance, "sleep", "crashed", 0);
}

/**
 * Close handlers run when the instance stops, once its onSleep/onDestroy and in-flight work are
 * over (raw WebSockets close then, so that the hooks may still use them).
 */
export class CloseAtStop {
  readonly #closes = new Set<() => Promise<void>>();

  /** Adds `close`; returns the undo. */
  add(close: () => Promise<void>): () => void {
    this.#closes.add(close);
    return () => this.#closes.delete(close);
  }

  /** Runs (and forgets) every close handler added so far. */
  async run(): Promise<void> {
    const closes = [...this.#closes];
    this.#closes.clear();
    await Promise.all(closes.map((close) => close()));
  }
}
