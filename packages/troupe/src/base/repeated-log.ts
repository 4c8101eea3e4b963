// Keeps an outage from flooding the log: the first of a run of identical messages is written at
// once, the repeats within the window are only counted, and one summary line gives their number.

import type { Logger } from "pino";
import { type Timer, unrefTimeout } from "./timers.ts";

/** How long identical messages are counted before their summary is written. */
export const REPEAT_WINDOW_MS = 10_000;

interface Run {
  repeats: number;
  write: (repeats: number) => void;
  timer: Timer;
}

export class RepeatedLog {
  readonly #windowMs: number;
  readonly #runs = new Map<string, Run>();

  constructor(windowMs = REPEAT_WINDOW_MS) {
    this.#windowMs = windowMs;
  }

  /**
   * Logs `message` with `fields` on `logger`, unless a message with the same `key` was logged in
   * this window: then it is only counted, and the window's summary says how many there were
   * (`"<message> (and N more like it)"`, field `repeats`), with the fields of the latest.
   */
  write(logger: Logger, level: "warn" | "error", key: string, fields: Record<string, unknown>, message: string): void {
    this.#log(key, (repeats) =>
      logger[level](repeats > 0 ? { ...fields, repeats } : fields, repeats > 0 ? `${message} (and ${repeats} more like it)` : message),
    );
  }

  /**
   * `write(0)` now if `key` is the first in its window, else it is counted; at the end of a window
   * with repeats, `write(repeats)` (the latest call's) sums them up and a new window opens, so a
   * lasting outage writes one line per window.
   */
  #log(key: string, write: (repeats: number) => void): void {
    const run = this.#runs.get(key);
    if (run) {
      run.repeats++;
      run.write = write;
      return;
    }
    write(0);
    this.#open(key, write);
  }

  #open(key: string, write: (repeats: number) => void): void {
    const run: Run = {
      repeats: 0,
      write,
      timer: unrefTimeout(() => {
        this.#runs.delete(key);
        if (run.repeats === 0) return;
        run.write(run.repeats);
        this.#open(key, run.write);
      }, this.#windowMs),
    };
    this.#runs.set(key, run);
  }

  /** Writes the summaries still counting and forgets them (at shutdown). */
  flush(): void {
    for (const run of this.#runs.values()) {
      run.timer.cancel();
      if (run.repeats > 0) run.write(run.repeats);
    }
    this.#runs.clear();
  }
}
