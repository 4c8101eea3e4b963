// Features plug subsystems (queues, schedules, workflows, the database, the run handler) into an
// instance's lifecycle without the instance knowing them: each feature module exports a factory
// listed in actor/features.ts, and gets called at fixed points of start, alarms and stop.

import type { ActorContext } from "./context.ts";
import type { ActorInstance, StopKind } from "./instance.ts";

export interface Feature {
  /** On every start, before any lifecycle hook (e.g. database migrations). */
  beforeStart?(): Promise<void> | void;
  /** On every start, after `onWake` (e.g. the run handler). */
  afterStart?(): void;
  /** The earliest time (ms) this feature needs `onAlarm`, if any. */
  nextAlarm?(): number | undefined;
  /**
   * An alarm of this actor is due: run what is due at `now`. Return quickly (start long work in
   * the background): the alarm clock waits for every due actor before its next round.
   */
  onAlarm?(now: number): Promise<void> | void;
  /** An action is over (returned, threw, or finished after timing out); `ctx` was its context. */
  actionEnded?(ctx: ActorContext): void;
  /** The stop sequence has begun (abort signal fired), before onSleep/onDestroy. */
  stopping?(kind: StopKind): Promise<void> | void;
  /** After the final commit: release resources; on destroy, delete them. Also after a failed start, as "sleep". */
  afterStop?(kind: StopKind): Promise<void> | void;
}

/** Builds a feature for an instance, or returns undefined when the actor does not use it. */
export type FeatureFactory = (instance: ActorInstance) => Feature | undefined;
