// A first-in, first-out lock: a transaction holds it across awaits, and every other database
// call waits its turn behind it in arrival order.

import type { ActorError } from "../../base/errors.ts";

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class FifoLock {
  readonly #maxWaiters: number;
  readonly #tooMany: () => ActorError;
  #held = false;
  #waiters: Waiter[] = [];

  constructor(maxWaiters: number, tooMany: () => ActorError) {
    this.#maxWaiters = maxWaiters;
    this.#tooMany = tooMany;
  }

  /** Nobody holds the lock nor waits for it: a caller may run at once without taking it. */
  get free(): boolean {
    return !this.#held && this.#waiters.length === 0;
  }

  acquire(): Promise<void> {
    if (this.free) {
      this.#held = true;
      return Promise.resolve();
    }
    if (this.#waiters.length >= this.#maxWaiters) return Promise.reject(this.#tooMany());
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Hands the lock to the next waiter, if any. */
  release(): void {
    const next = this.#waiters.shift();
    if (next) next.resolve();
    else this.#held = false;
  }

  /** Fails every waiter (the database is closing). */
  rejectAll(error: unknown): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }
}
