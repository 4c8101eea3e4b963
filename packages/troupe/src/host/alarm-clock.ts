// One timer for every actor's alarm. Alarms live in storage (so a sleeping or crashed actor is
// woken when one is due, even after a restart); awake actors also report them here directly.

import { type Timer, unrefTimeout } from "../base/timers.ts";

/** Where stored alarms are read: the storage driver, or in a cluster the alarms this node may fire. */
export interface AlarmSource {
  /** Alarms due at or before `upTo`, earliest first. */
  dueAlarms(upTo: number, limit: number): Promise<Array<{ actorId: string }>>;
  nextAlarm(): Promise<number | undefined>;
}

const BATCH = 256;
/** When an actor's alarm is still due right after firing, look again no sooner than this. */
const RETRY_MS = 1_000;

export class AlarmClock {
  readonly #source: AlarmSource;
  readonly #fire: (actorId: string, now: number) => Promise<void>;
  readonly #awakeDue: () => Array<[string, number]>;
  #timer: Timer | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #running = false;
  #closed = false;

  constructor(source: AlarmSource, fire: (actorId: string, now: number) => Promise<void>, awakeAlarms: () => Array<[string, number]>) {
    this.#source = source;
    this.#fire = fire;
    this.#awakeDue = awakeAlarms;
  }

  /** Looks up the earliest stored alarm (alarms that came due while the process was down fire now). */
  async start(): Promise<void> {
    const next = await this.#source.nextAlarm();
    if (next !== undefined) this.hint(next);
  }

  /** Some actor needs an alarm at `at`. */
  hint(at: number): void {
    if (this.#closed || at >= this.#timerAt) return;
    this.#timer?.cancel();
    this.#timerAt = at;
    this.#timer = unrefTimeout(() => void this.#run(), Math.max(0, at - Date.now()));
  }

  async #run(): Promise<void> {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    if (this.#running || this.#closed) return;
    this.#running = true;
    try {
      // Fire everything due, including alarms that come due while firing; each actor once a round.
      const fired = new Set<string>();
      for (;;) {
        const now = Date.now();
        const due = new Set<string>();
        for (const [actorId, at] of this.#awakeDue()) if (at <= now && !fired.has(actorId)) due.add(actorId);
        for (const { actorId } of await this.#source.dueAlarms(now, BATCH)) if (!fired.has(actorId)) due.add(actorId);
        if (due.size === 0 || this.#closed) break;
        await Promise.all(
          [...due].map((actorId) => {
            fired.add(actorId);
            return this.#fire(actorId, now);
          }),
        );
      }
      if (this.#closed) return;
      const next = await this.#earliest();
      // Still due after firing: that actor failed to handle it; try again later rather than spin.
      if (next !== undefined) this.hint(next <= Date.now() ? Date.now() + RETRY_MS : next);
    } finally {
      this.#running = false;
    }
  }

  async #earliest(): Promise<number | undefined> {
    let next = await this.#source.nextAlarm();
    for (const [, at] of this.#awakeDue()) if (next === undefined || at < next) next = at;
    return next;
  }

  close(): void {
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
