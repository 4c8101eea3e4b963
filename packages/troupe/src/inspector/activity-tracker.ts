// What the inspector remembers of live actors, from their events, for summaries and "why is it
// awake?": when each instance started, and which actions it is running. It watches the host for
// as long as the inspector is on.

import type { ActionCall, ActorEvent, ActorObserver } from "../actor/observer.ts";

interface Live {
  /** Undefined for an instance that started before the tracker watched. */
  wokenAt: number | undefined;
  calls: Set<ActionCall> | undefined;
}

export class ActivityTracker implements ActorObserver {
  readonly observesState = false;
  readonly #live = new Map<string, Live>();

  notify(event: ActorEvent): void {
    switch (event.type) {
      case "actor.started":
        if (event.error === undefined) this.#live.set(event.actor.id, { wokenAt: event.at, calls: undefined });
        break;
      case "actor.stopped":
        this.#live.delete(event.actor.id);
        break;
      case "action.started": {
        let live = this.#live.get(event.actor.id);
        if (live === undefined) {
          live = { wokenAt: undefined, calls: undefined };
          this.#live.set(event.actor.id, live);
        }
        (live.calls ??= new Set()).add(event.call);
        break;
      }
      case "action.ended":
        this.#live.get(event.actor.id)?.calls?.delete(event.call);
        break;
    }
  }

  /** When the live instance of `actorId` started (undefined if it started before the tracker watched). */
  wokenAt(actorId: string): number | undefined {
    return this.#live.get(actorId)?.wokenAt;
  }

  /** The actions `actorId` is running, oldest first. */
  calls(actorId: string): readonly ActionCall[] {
    return [...(this.#live.get(actorId)?.calls ?? [])];
  }
}
