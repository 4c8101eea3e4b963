// Idle tracking for every live actor with one timer. Actors with the same sleepTimeout reach their
// deadlines in the order they went idle, so each timeout keeps a Map from instance to deadline in
// that order: a Map iterates in insertion order, and an actor that goes idle again is deleted and
// re-inserted at the end. Each live actor has at most one entry, however many calls it serves.

import type { ActorInstance } from "../actor/instance.ts";
import { type Timer, unrefTimeout } from "../base/timers.ts";

export class SleepScheduler {
  readonly #queues = new Map<number, Map<ActorInstance, number>>();
  #timer: Timer | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  /** The instance just became idle: it sleeps after its sleepTimeout unless it is busy again. */
  markIdle(instance: ActorInstance): void {
    const { noSleep, sleepTimeout } = instance.def.options;
    if (noSleep) return;
    let queue = this.#queues.get(sleepTimeout);
    if (!queue) {
      queue = new Map();
      this.#queues.set(sleepTimeout, queue);
    }
    const deadline = Date.now() + sleepTimeout;
    queue.delete(instance);
    queue.set(instance, deadline);
    this.#arm(deadline);
  }

  /** When the instance sleeps if it stays idle; undefined when it has no deadline (busy, or noSleep). */
  deadline(instance: ActorInstance): number | undefined {
    return instance.active > 0 ? undefined : this.#queues.get(instance.def.options.sleepTimeout)?.get(instance);
  }

  /** The instance stopped (asleep, destroyed, fenced): it needs no deadline any more. */
  forget(instance: ActorInstance): void {
    const queue = this.#queues.get(instance.def.options.sleepTimeout);
    if (queue?.delete(instance) && queue.size === 0) this.#queues.delete(instance.def.options.sleepTimeout);
  }

  #arm(deadline: number): void {
    if (deadline >= this.#timerAt) return;
    this.#timer?.cancel();
    this.#timerAt = deadline;
    this.#timer = unrefTimeout(() => this.#fire(), Math.max(0, deadline - Date.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [timeout, queue] of this.#queues) {
      for (const [instance, deadline] of queue) {
        if (deadline > now) {
          next = Math.min(next, deadline);
          break;
        }
        queue.delete(instance);
        // A busy actor is marked idle again when its work ends.
        if (instance.status === "running" && instance.active === 0) instance.requestStop("sleep", "idle");
      }
      if (queue.size === 0) this.#queues.delete(timeout);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }

  clear(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#queues.clear();
  }
}
