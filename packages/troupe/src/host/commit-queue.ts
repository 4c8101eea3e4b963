// Group commit: every actor that wrote during this turn contributes one batch, and all batches
// go to storage in a single transaction. One commit is in flight at a time; writes that arrive
// meanwhile form the next group.

import type { Logger } from "pino";
import type { CommitScheduler, PendingWrites } from "../actor/pending-writes.ts";
import { ActorError } from "../base/errors.ts";
import type { CommitBatch, StorageDriver } from "../storage/driver.ts";
import { nextTurn } from "../base/timers.ts";

export class CommitQueue implements CommitScheduler {
  readonly #driver: StorageDriver;
  readonly #logger: Logger;
  #pending: PendingWrites[] = [];
  #scheduled = false;
  #inflight = false;
  #idle: Array<() => void> = [];

  constructor(driver: StorageDriver, logger: Logger) {
    this.#driver = driver;
    this.#logger = logger;
  }

  enqueue(writes: PendingWrites): void {
    this.#pending.push(writes);
    this.#schedule();
  }

  /** Resolves when nothing is queued or in flight. */
  settled(): Promise<void> {
    if (!this.#inflight && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#inflight) return;
    this.#scheduled = true;
    nextTurn(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const writers: PendingWrites[] = [];
    const batches: CommitBatch[] = [];
    for (const writes of this.#pending) {
      const batch = writes.take();
      if (batch) {
        writers.push(writes);
        batches.push(batch);
      }
    }
    this.#pending = [];
    if (batches.length > 0) {
      this.#inflight = true;
      let results: Array<Error | undefined>;
      try {
        results = await this.#driver.commit(batches);
      } catch (error) {
        this.#logger.error({ err: error, batches: batches.length }, "storage commit failed");
        // Public: the caller must learn that its write was not acknowledged; the cause stays in the log.
        const failure = new ActorError("storage", "error", "The storage driver failed; the write was not acknowledged. Retry it.", {
          cause: error,
        });
        results = batches.map(() => failure);
      }
      this.#inflight = false;
      for (let i = 0; i < writers.length; i++) (writers[i] as PendingWrites).done(results[i]);
    }
    if (this.#pending.length > 0) this.#schedule();
    else {
      const idle = this.#idle;
      this.#idle = [];
      for (const resolve of idle) resolve();
    }
  }
}
