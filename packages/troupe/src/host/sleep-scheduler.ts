// Idle tracking for every live actor with one timer. Actors with the same sleepTimeout reach their
// deadlines in the order they went idle, so each timeout keeps a Map from instance to deadline in
// that order: a Map iterates in insertion order, and an actor that goes idle again is deleted and
// re-inserted at the end. Each live actor has at most one entry, however many calls it serves.

import type { ActorInstance } from "../actor/instance.ts";
import { type Timer, unrefTimeout } from "../base/timers.ts";

/**
 * Idle actors put to sleep at once: a million that went idle together would otherwise all be
 * stopping at the same time, holding every stop's promises, timer and commit batch in memory.
 */
const SLEEPS_AT_ONCE = 4096;

export class SleepScheduler {
  readonly #queues = new Map<number, Map<ActorInstance, number>>();
  #timer: Timer | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  /** Due to sleep, waiting for a place among the SLEEPS_AT_ONCE; `#nextDue` is the first not taken. */
  #due: ActorInstance[] = [];
  #nextDue = 0;
  #sleeping = 0;

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
        this.#due.push(instance);
      }
      if (queue.size === 0) this.#queues.delete(timeout);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
    this.#sleepDue();
  }

  #sleepDue(): void {
    while (this.#sleeping < SLEEPS_AT_ONCE && this.#nextDue < this.#due.length) {
      const instance = this.#due[this.#nextDue++] as ActorInstance;
      // A busy actor is marked idle again when its work ends; one stopping already needs nothing.
      if (instance.status !== "running" || instance.active !== 0) continue;
      this.#sleeping++;
      const stopped = () => {
        this.#sleeping--;
        this.#sleepDue();
      };
      // A stop logs its own failures; the window frees its place either way.
      instance.stop("sleep", "idle").then(stopped, stopped);
    }
    if (this.#nextDue === this.#due.length) {
      this.#due = [];
      this.#nextDue = 0;
    }
  }

  clear(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#queues.clear();
    this.#due = [];
    this.#nextDue = 0;
  }
}
