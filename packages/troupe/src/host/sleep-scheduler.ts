// Idle tracking for every live actor with one timer: actors that go idle with the same
// sleepTimeout reach their deadlines in the order they went idle, so a FIFO per timeout suffices.

import type { ActorInstance } from "../actor/instance.ts";
import { unrefTimeout } from "../util/timers.ts";

interface Entry {
  instance: ActorInstance;
  token: number;
  deadline: number;
}

class Fifo {
  items: Entry[] = [];
  head = 0;
  peek(): Entry | undefined {
    return this.items[this.head];
  }
  shift(): void {
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

export class SleepScheduler {
  readonly #queues = new Map<number, Fifo>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  /** The instance just became idle: it sleeps after its sleepTimeout unless it is busy again. */
  markIdle(instance: ActorInstance): void {
    const { noSleep, sleepTimeout } = instance.def.options;
    if (noSleep) return;
    let fifo = this.#queues.get(sleepTimeout);
    if (!fifo) {
      fifo = new Fifo();
      this.#queues.set(sleepTimeout, fifo);
    }
    const deadline = Date.now() + sleepTimeout;
    fifo.items.push({ instance, token: instance.idleToken, deadline });
    this.#arm(deadline);
  }

  #arm(deadline: number): void {
    if (deadline >= this.#timerAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = deadline;
    this.#timer = unrefTimeout(() => this.#fire(), Math.max(0, deadline - Date.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [timeout, fifo] of this.#queues) {
      for (let entry = fifo.peek(); entry; entry = fifo.peek()) {
        if (entry.deadline > now) {
          next = Math.min(next, entry.deadline);
          break;
        }
        fifo.shift();
        const { instance } = entry;
        if (instance.status === "running" && instance.active === 0 && instance.idleToken === entry.token) {
          instance.requestStop("sleep");
        }
      }
      if (fifo.peek() === undefined) this.#queues.delete(timeout);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#queues.clear();
  }
}
