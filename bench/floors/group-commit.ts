// The plainest group commit: what is written in the same turn of the event loop goes to SQLite in
// one transaction, and each writer's promise resolves after it. It is the storage half of the
// floors for a durable action (an action whose reply waits for its commit).

export class GroupCommit<T> {
  readonly #flush: (items: T[]) => void;
  #items: T[] = [];
  #waiters: Array<() => void> = [];

  /** `flush` commits a group in one transaction (synchronously, as better-sqlite3 does). */
  constructor(flush: (items: T[]) => void) {
    this.#flush = flush;
  }

  /** Resolves once `item` is committed. */
  write(item: T): Promise<void> {
    if (this.#items.length === 0) setImmediate(() => this.#commit());
    this.#items.push(item);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #commit(): void {
    const items = this.#items;
    const waiters = this.#waiters;
    this.#items = [];
    this.#waiters = [];
    this.#flush(items);
    for (const resolve of waiters) resolve();
  }
}
