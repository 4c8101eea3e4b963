// The live stream's side of the observation seam: it watches the host while at least one stream
// is open, turns each event some stream accepts into its JSON form once (state diffs only when a
// stream asks for them), and hands it to every stream whose filter it passes.

import { decodeCbor } from "../base/cbor.ts";
import type { ActionCall, ActorEvent, ActorEventType, ActorObserver, ObservedActor } from "../actor/observer.ts";
import type { ActorHost } from "../host/host.ts";
import { errorView } from "./error-view.ts";
import { boundedView, type Json } from "./json-view.ts";
import { diffState } from "./state-diff.ts";

export type EventKind = "lifecycle" | "action" | "state" | "broadcast" | "connection" | "queue" | "alarm" | "commit" | "inspector";

export const EVENT_KINDS: readonly EventKind[] = [
  "lifecycle",
  "action",
  "state",
  "broadcast",
  "connection",
  "queue",
  "alarm",
  "commit",
  "inspector",
];

const KIND_OF: Record<ActorEventType, EventKind> = {
  "actor.started": "lifecycle",
  "actor.stopped": "lifecycle",
  "action.started": "action",
  "action.ended": "action",
  "state.changed": "state",
  broadcast: "broadcast",
  "connection.opened": "connection",
  "connection.closed": "connection",
  "queue.sent": "queue",
  "queue.received": "queue",
  "queue.completed": "queue",
  "queue.dead_lettered": "queue",
  "alarm.fired": "alarm",
  commit: "commit",
};

/** An event as the stream sends it, less its per-socket `seq`, already serialized once for every stream. */
export interface StreamEvent {
  readonly kind: EventKind;
  readonly actor: ObservedActor;
  /** The JSON object of the event without `type` and `seq`: `{"at":...,"kind":...,...}`. */
  readonly json: string;
}

/** One open stream. */
export interface StreamSubscriber {
  /** Whether the stream wants events of `kind` about `actor`. */
  accepts(kind: EventKind, actor: ObservedActor): boolean;
  /** Whether it wants this kind at all (state diffs are made only while one does). */
  wantsKind(kind: EventKind): boolean;
  send(event: StreamEvent): void;
}

export class EventHub implements ActorObserver {
  readonly #host: () => ActorHost;
  readonly #subscribers = new Set<StreamSubscriber>();
  readonly #callIds = new WeakMap<ActionCall, number>();
  #nextCallId = 1;
  #detach: (() => void) | undefined;

  constructor(host: () => ActorHost) {
    this.#host = host;
  }

  get observesState(): boolean {
    for (const subscriber of this.#subscribers) if (subscriber.wantsKind("state")) return true;
    return false;
  }

  /** Starts delivering to `subscriber`; returns what stops it. The hub watches the host while anyone listens. */
  subscribe(subscriber: StreamSubscriber): () => void {
    this.#subscribers.add(subscriber);
    this.#detach ??= this.#host().observe(this);
    return () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size > 0) return;
      this.#detach?.();
      this.#detach = undefined;
    };
  }

  notify(event: ActorEvent): void {
    this.#publish(KIND_OF[event.type], event.actor, event.type, event.at, () => this.#data(event));
  }

  /** A write through the inspector API, announced before its effects. */
  inspectorWrite(actor: ObservedActor, method: string, path: string): void {
    this.#publish("inspector", actor, "inspector.write", Date.now(), () => ({ method, path }));
  }

  #publish(kind: EventKind, actor: ObservedActor, name: string, at: number, data: () => Record<string, Json>): void {
    let event: StreamEvent | undefined;
    for (const subscriber of this.#subscribers) {
      if (!subscriber.accepts(kind, actor)) continue;
      event ??= {
        kind,
        actor,
        json: JSON.stringify({ at, kind, event: name, actor: { id: actor.id, name: actor.name, key: actor.key }, data: data() }),
      };
      subscriber.send(event);
    }
  }

  #data(event: ActorEvent): Record<string, Json> {
    switch (event.type) {
      case "actor.started":
        return {
          mode: event.mode,
          cause: event.cause,
          durationMs: event.durationMs,
          ...(event.error === undefined ? {} : { error: errorView(event.error) }),
        };
      case "actor.stopped":
        return { kind: event.kind, reason: event.reason, durationMs: event.durationMs };
      case "action.started":
        return { ...this.#call(event.call) };
      case "action.ended":
        return {
          ...this.#call(event.call),
          durationMs: event.durationMs,
          ok: event.ok,
          ...(event.ok ? { output: boundedView(event.output) } : { error: errorView(event.error) }),
        };
      case "state.changed": {
        const before = event.before === undefined ? undefined : decodeCbor(event.before);
        return { ...diffState(before, decodeCbor(event.after), event.before !== undefined) } as unknown as Record<string, Json>;
      }
      case "broadcast":
        return { name: event.name, args: boundedView(event.args) };
      case "connection.opened":
        return { connId: event.connId, params: boundedView(event.params) };
      case "connection.closed":
        return { connId: event.connId, reason: event.reason };
      case "queue.sent":
        return { messageId: event.messageId, queue: event.queue, bytes: event.bytes };
      case "queue.received":
        return { messageId: event.messageId, queue: event.queue, attempts: event.attempts, completable: event.completable };
      case "queue.completed":
        return { messageId: event.messageId };
      case "queue.dead_lettered":
        return { messageId: event.messageId, queue: event.queue, attempts: event.attempts };
      case "alarm.fired":
        return { durationMs: event.durationMs };
      case "commit":
        return {
          writes: event.writes,
          bytes: event.bytes,
          stateWritten: event.stateWritten,
          groupSize: event.groupSize,
          durationMs: event.durationMs,
          ...(event.error === undefined ? {} : { error: errorView(event.error) }),
        };
    }
  }

  #call(call: ActionCall): Record<string, Json> {
    let callId = this.#callIds.get(call);
    if (callId === undefined) {
      callId = this.#nextCallId++;
      this.#callIds.set(call, callId);
    }
    return { callId, name: call.name, args: boundedView(call.args), connId: call.connId ?? null };
  }
}
