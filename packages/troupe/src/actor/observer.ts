// The observation seam of the core: what live actors do, as typed events, for whoever watches
// (the inspector's live stream, metrics, traces). Nothing is built for nobody: every place that
// emits reads `host.observer` first, and an event object exists only when an observer does.

import type { StopKind } from "./feature.ts";

/** Who an event is about. */
export interface ObservedActor {
  readonly id: string;
  readonly name: string;
  readonly key: readonly string[];
}

/** What started an instance: `create` for a new actor, else the kind of call (or alarm) that woke it. */
export type WakeCause =
  | "create"
  | "action"
  | "queue"
  | "connect"
  | "subscribe"
  | "disconnect"
  | "request"
  | "websocket"
  | "alarm"
  | "inspector"
  | "other";

/**
 * Why an instance stopped: its idle timer (`idle`), `c.sleep()`/`c.destroy()` (`requested`), its
 * run handler ending (`run_ended`), the host shutting down, storage fencing it, or a crash
 * (dropped without saving).
 */
export type StopReason = "idle" | "requested" | "run_ended" | "shutdown" | "fenced" | "crashed";

/** One action call: the same object in its started and ended events, so observers may key on it. */
export interface ActionCall {
  readonly name: string;
  readonly args: readonly unknown[];
  /** The caller's connection; undefined for calls from inside the actor (schedules, cron, the inspector's console). */
  readonly connId: string | undefined;
  /** `performance.now()` when it started. */
  readonly startedAt: number;
}

interface EventBase {
  readonly actor: ObservedActor;
  /** `Date.now()` when it happened. */
  readonly at: number;
}

export type ActorEvent = EventBase &
  (
    | { readonly type: "actor.started"; mode: "create" | "wake"; cause: WakeCause; durationMs: number; error?: unknown }
    | { readonly type: "actor.stopped"; kind: StopKind; reason: StopReason; durationMs: number }
    | { readonly type: "action.started"; call: ActionCall }
    /** `error` is what the action threw, before it is made public (a failed commit shows in its `commit` event). */
    | { readonly type: "action.ended"; call: ActionCall; durationMs: number; ok: boolean; output?: unknown; error?: unknown }
    /** The state as encoded for a commit, and as it was before its first change since the previous one (when known). */
    | { readonly type: "state.changed"; before: Uint8Array | undefined; after: Uint8Array }
    | { readonly type: "broadcast"; name: string; args: readonly unknown[] }
    | { readonly type: "connection.opened"; connId: string; params: unknown }
    | { readonly type: "connection.closed"; connId: string; reason: string }
    | { readonly type: "queue.sent"; messageId: number; queue: string; bytes: number }
    | { readonly type: "queue.received"; messageId: number; queue: string; attempts: number; completable: boolean }
    | { readonly type: "queue.completed"; messageId: number }
    | { readonly type: "queue.dead_lettered"; messageId: number; queue: string; attempts: number }
    | { readonly type: "alarm.fired"; durationMs: number }
    /** One actor's batch of a group commit: key writes, bytes put, state written, actors in the transaction. */
    | {
        readonly type: "commit";
        writes: number;
        bytes: number;
        stateWritten: boolean;
        groupSize: number;
        durationMs: number;
        error?: Error;
      }
  );

export type ActorEventType = ActorEvent["type"];

/**
 * Watches the actors of a host (ActorHost.observe). `notify` runs synchronously where the event
 * happens, so it must be quick and must not throw (the host catches and logs what does).
 */
export interface ActorObserver {
  /**
   * Whether `state.changed` events are wanted. Read at state writes: while it is true, an instance
   * keeps its encoded state from before its first change, to report both sides at the next commit.
   */
  readonly observesState: boolean;
  notify(event: ActorEvent): void;
}
