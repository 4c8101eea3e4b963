// Group commit: every actor that wrote during this turn contributes one batch, and all batches
// go to storage in a single transaction. One commit is in flight at a time; writes that arrive
// meanwhile form the next group.
//
// When several writers open a group in the same turn, more are usually on their way (the other
// requests of a client with many in flight, read from the socket over the next turns), so the
// group waits while each turn brings another writer, up to GATHER_TURNS turns. A lone writer is
// committed in its own turn. With 16 calls in flight over WebSocket, this makes about 13 writers
// per commit instead of 8, and a third fewer syncs.

import type { Logger } from "pino";
import type { CommitScheduler, PendingWrites } from "../actor/pending-writes.ts";
import { ActorError, isActorError } from "../base/errors.ts";
import type { RepeatedLog } from "../base/repeated-log.ts";
import type { CommitBatch, StorageDriver } from "../storage/driver.ts";
import { nextTurn } from "../base/timers.ts";

/** How many more turns a group waits, at most, while each brings another writer. */
const GATHER_TURNS = 4;

export class CommitQueue implements CommitScheduler {
  readonly #driver: StorageDriver;
  readonly #logger: Logger;
  readonly #repeated: RepeatedLog;
  #pending: PendingWrites[] = [];
  #scheduled = false;
  #inflight = false;
  /** Writers queued when the scheduled flush last looked, and how many turns it has waited. */
  #seen = 0;
  #waited = 0;
  #idle: Array<() => void> = [];

  constructor(driver: StorageDriver, logger: Logger, repeated: RepeatedLog) {
    this.#driver = driver;
    this.#logger = logger;
    this.#repeated = repeated;
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
    this.#seen = this.#pending.length;
    nextTurn(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    if (this.#pending.length > this.#seen && this.#waited < GATHER_TURNS) {
      this.#seen = this.#pending.length;
      this.#waited++;
      nextTurn(() => void this.#flush());
      return;
    }
    this.#waited = 0;
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
        const cause = error instanceof Error ? error.message : String(error);
        this.#repeated.write(
          this.#logger,
          "error",
          `storage commit failed: ${cause}`,
          { err: error, batches: batches.length },
          "storage commit failed",
        );
        results = batches.map(() => storageFailure(error));
      }
      this.#inflight = false;
      for (let i = 0; i < writers.length; i++) (writers[i] as PendingWrites).done(results[i], writers.length);
    }
    if (this.#pending.length > 0) this.#schedule();
    else {
      const idle = this.#idle;
      this.#idle = [];
      for (const resolve of idle) resolve();
    }
  }
}

/**
 * What the callers of a failed commit get. Public, so that they learn their write did not land: the
 * instance that held it stops without saving it (pending-writes.ts), so retrying cannot apply it
 * twice. A driver's own typed error (e.g. `storage.busy`) is passed on as it is.
 */
function storageFailure(error: unknown): ActorError {
  if (isActorError(error) && error.group === "storage" && error.public) return error;
  return new ActorError(
    "storage",
    "error",
    "The storage failed; the write was not applied and the actor reloads its last saved state. Retry it.",
    {
      cause: error,
    },
  );
}
