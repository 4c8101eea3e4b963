// Durable waits (sleeps, retry backoff) of one workflow run. The deadlines are recorded in the
// history; this set only holds the in-memory waiters, which the actor's alarm releases. The
// earliest deadline becomes the actor's alarm, so a sleeping or crashed actor wakes for it.

interface Timer {
  at: number;
  resolve(): void;
}

export class TimerSet {
  readonly #timers = new Set<Timer>();
  readonly #changed: () => void;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  earliest(): number | undefined {
    let at: number | undefined;
    for (const timer of this.#timers) if (at === undefined || timer.at < at) at = timer.at;
    return at;
  }

  /** Resolves at `at` (when `fire` is called with a later time); abandoned when `signal` aborts. */
  wait(at: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer: Timer = {
        at,
        resolve: () => {
          signal.removeEventListener("abort", drop);
          resolve();
        },
      };
      const drop = () => {
        this.#timers.delete(timer);
        this.#changed();
      };
      this.#timers.add(timer);
      signal.addEventListener("abort", drop, { once: true });
      this.#changed();
    });
  }

  /** Releases every waiter due at `now`. */
  fire(now: number): void {
    let fired = false;
    for (const timer of this.#timers) {
      if (timer.at > now) continue;
      this.#timers.delete(timer);
      timer.resolve();
      fired = true;
    }
    if (fired) this.#changed();
  }
}
