// The output gate: replies and events wait until every state change made before them is committed.
// Commits are numbered; a waiter names the commit it needs and is released when that one lands.

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Held {
  seq: number;
  run: () => void;
}

export class OutputGate {
  /** Number of the newest commit handed to storage. */
  taken = 0;
  /** Number of the newest commit that storage acknowledged. */
  committed = 0;
  // Created on first use: most of the time nothing waits.
  #waiters: Waiter[] | undefined;
  #held: Held[] | undefined;

  /** The commit that covers everything written so far (`dirty`: there are writes not yet handed to storage). */
  target(dirty: boolean): number {
    return dirty ? this.taken + 1 : this.taken;
  }

  wait(seq: number): Promise<void> {
    if (seq <= this.committed) return Promise.resolve();
    return new Promise((resolve, reject) => (this.#waiters ??= []).push({ seq, resolve, reject }));
  }

  /** Runs `run` once commit `seq` has landed, keeping the order of everything held. */
  after(seq: number, run: () => void): void {
    if (seq <= this.committed && !this.#held?.length) run();
    else (this.#held ??= []).push({ seq, run });
  }

  landed(seq: number): void {
    this.committed = Math.max(this.committed, seq);
    this.#settle(seq, undefined);
  }

  failed(seq: number, error: unknown): void {
    this.#settle(seq, error);
  }

  #settle(seq: number, error: unknown): void {
    const waiters = this.#waiters;
    if (waiters !== undefined && waiters.length > 0) {
      const rest: Waiter[] = [];
      for (const w of waiters) {
        if (w.seq > seq) rest.push(w);
        else if (error === undefined) w.resolve();
        else w.reject(error);
      }
      this.#waiters = rest.length > 0 ? rest : undefined;
    }
    const held = this.#held;
    if (held === undefined) return;
    let released = 0;
    while (released < held.length && (held[released] as Held).seq <= seq) released++;
    if (released === 0) return;
    const ready = held.splice(0, released);
    if (held.length === 0) this.#held = undefined;
    // Events whose state never committed are dropped: they describe changes that did not happen.
    if (error === undefined) for (const h of ready) h.run();
  }

  /** Rejects everything still waiting (the instance is gone). */
  abandon(error: unknown): void {
    for (const w of this.#waiters ?? []) w.reject(error);
    this.#waiters = undefined;
    this.#held = undefined;
  }
}
