// The observers of one host, as the single observer its instances see: each event goes to every
// observer in the order they were added, and one that throws is logged, not let into the actor.

import type { Logger } from "pino";
import type { ActorEvent, ActorObserver } from "../actor/observer.ts";

export class ObserverSet implements ActorObserver {
  #observers: readonly ActorObserver[] = [];
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  get size(): number {
    return this.#observers.length;
  }

  get observesState(): boolean {
    for (const observer of this.#observers) if (observer.observesState) return true;
    return false;
  }

  add(observer: ActorObserver): void {
    this.#observers = [...this.#observers, observer];
  }

  remove(observer: ActorObserver): void {
    this.#observers = this.#observers.filter((o) => o !== observer);
  }

  notify(event: ActorEvent): void {
    // A copy-on-write list: an observer removed while an event is delivered still gets that event.
    for (const observer of this.#observers) {
      try {
        observer.notify(event);
      } catch (error) {
        this.#logger.error({ err: error, event: event.type }, "actor observer failed");
      }
    }
  }
}
