// What one actor has written that storage has not acknowledged yet, and the path of those writes
// to a commit: epoch and claim, the batch handed to the group commit, what a failed commit ends,
// and the output gate that holds replies and events until their writes land.

import type { Logger } from "pino";
import { type Timer, unrefTimeout } from "../base/timers.ts";
import type { ActorRecord, CommitBatch } from "../storage/driver.ts";
import { attribute } from "./attribution.ts";
import type { ActorObserver, ObservedActor } from "./observer.ts";
import { OutputGate } from "./output-gate.ts";
import { STATE_KEY } from "./storage-keys.ts";
import { CHUNKED_FROM, StoredState } from "./stored-state.ts";
import { WriteSet } from "./write-set.ts";

/** What the pending writes need from their instance. */
export interface WritesOwner extends ObservedActor {
  readonly observer: ActorObserver | undefined;
  readonly relaxed: boolean;
  readonly saveInterval: number;
  /** False once the instance has stopped: nothing more is handed to storage. */
  readonly writable: boolean;
  /** The state, encoded; undefined for an actor without state. */
  encodeState(): Uint8Array | undefined;
  /**
   * A commit of these writes failed (storage failed, or another activation owns the actor): they
   * and every write made since are dropped, never retried, and the instance must stop without saving.
   */
  lost(error: Error): void;
  /** The state could not be encoded for a commit (the checks at each write should make this unreachable). */
  unencodable(error: unknown): void;
  /** The actor's logger: a failure handed to its code is attributed to it (actor/attribution.ts). */
  readonly log: Logger;
}

/** The group commit: takes a turn for the writes (it calls `take`, then `done`). */
export interface CommitScheduler {
  enqueue(writes: PendingWrites): void;
}

export class PendingWrites {
  readonly #owner: WritesOwner;
  readonly #commits: CommitScheduler;
  /** The epoch this activation writes with; a wake claims it with a commit of its own before reading. */
  epoch = 0;
  claim = false;
  /** The record of an actor being created: inserted by the first commit. */
  create: ActorRecord | undefined;
  destroy = false;
  stateDirty = false;
  /** The earliest alarm to store with the next commit (null clears it). */
  alarm: number | null | undefined;
  #writes: WriteSet | undefined;
  /** The layout of a state stored in chunks (stored-state.ts); undefined while it is one value, as most are. */
  layout: StoredState | undefined;
  #queued = false;
  #saveTimer: Timer | undefined;
  /** `startedAt` is `performance.now()` when the batch was taken, if an observer watches (else 0). */
  #inflight: { seq: number; batch: CommitBatch; stateDirty: boolean; startedAt: number } | undefined;
  /** Why these writes can no longer land (a commit failed); nothing is handed to storage after it. */
  #failure: Error | undefined;
  readonly gate = new OutputGate();

  constructor(owner: WritesOwner, commits: CommitScheduler) {
    this.#owner = owner;
    this.#commits = commits;
  }

  /** Key-value writes (queue, schedule, kv, ...) for the next commit; created on first use. */
  get writes(): WriteSet {
    this.#writes ??= new WriteSet(() => this.written());
    return this.#writes;
  }

  /** The error of a failed commit, after which these writes can never land. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  get dirty(): boolean {
    return this.claim || this.stateDirty || (this.#writes?.size ?? 0) > 0 || this.alarm !== undefined || this.destroy;
  }

  /** Something was written: schedule a commit (at once, or within the save interval when relaxed). */
  written(): void {
    if (!this.#owner.relaxed) {
      this.#queue();
      return;
    }
    this.#saveTimer ??= unrefTimeout(() => {
      this.#saveTimer = undefined;
      this.#queue();
    }, this.#owner.saveInterval);
  }

  #queue(): void {
    if (this.#queued) return;
    this.#queued = true;
    this.#commits.enqueue(this);
  }

  /** Hands everything pending to the group commit as one batch. */
  take(): CommitBatch | undefined {
    this.#queued = false;
    if (!this.dirty || this.#inflight || this.#failure || !this.#owner.writable) return undefined;
    this.#clearTimer();
    const batch: CommitBatch = { actorId: this.#owner.id, epoch: this.epoch };
    if (this.create) batch.create = this.create;
    else if (this.claim) batch.claim = true;
    let state: Uint8Array | undefined;
    try {
      state = this.stateDirty ? this.#owner.encodeState() : undefined;
    } catch (error) {
      // Never thrown into the group commit, which would fail every other actor's batch with it.
      this.#owner.unencodable(error);
      return undefined;
    }
    if (state) this.#stateWrites(state, batch);
    this.#writes?.drainInto(batch);
    if (this.alarm !== undefined) batch.alarm = this.alarm;
    if (this.destroy) batch.destroy = true;
    const stateDirty = this.stateDirty;
    this.destroy = false;
    this.stateDirty = false;
    this.alarm = undefined;
    const startedAt = this.#owner.observer === undefined ? 0 : performance.now();
    this.#inflight = { seq: ++this.gate.taken, batch, stateDirty, startedAt };
    return batch;
  }

  /** The state's share of the batch: one value, or the chunks that changed (stored-state.ts). */
  #stateWrites(state: Uint8Array, batch: CommitBatch): void {
    if (this.layout === undefined && state.length < CHUNKED_FROM) {
      batch.puts = [[STATE_KEY, state]];
      return;
    }
    this.layout ??= new StoredState();
    const { puts, deletes } = this.layout.writes(state);
    batch.puts = puts;
    if (deletes.length > 0) batch.deletes = deletes;
    if (!this.layout.chunked) this.layout = undefined;
  }

  /** How the batch from `take` ended; `groupSize` batches went to storage together. */
  done(error: Error | undefined, groupSize: number): void {
    const inflight = this.#inflight;
    if (!inflight) return;
    this.#inflight = undefined;
    const observer = this.#owner.observer;
    if (observer !== undefined && inflight.startedAt !== 0) this.#observed(observer, inflight, error, groupSize);
    if (error !== undefined) {
      // Not retried: the caller was told its write did not land, so it must never land later
      // (a retry would apply it twice). The memory that holds it is dropped with the instance.
      this.#failure = error;
      this.gate.failed(inflight.seq, attribute(error, this.#owner.log));
      this.#owner.lost(error);
      return;
    }
    this.create = undefined;
    if (inflight.batch.claim) this.claim = false;
    this.gate.landed(inflight.seq);
    if (this.dirty && this.#owner.writable) this.#queue();
  }

  #observed(
    observer: ActorObserver,
    inflight: { batch: CommitBatch; stateDirty: boolean; startedAt: number },
    error: Error | undefined,
    groupSize: number,
  ): void {
    const { batch } = inflight;
    let bytes = 0;
    for (const [key, value] of batch.puts ?? []) bytes += key.byteLength + value.byteLength;
    const writes = (batch.puts?.length ?? 0) + (batch.deletes?.length ?? 0) + (batch.deleteRanges?.length ?? 0);
    const durationMs = performance.now() - inflight.startedAt;
    const event = {
      type: "commit",
      actor: this.#owner,
      at: Date.now(),
      writes,
      bytes,
      stateWritten: inflight.stateDirty,
      groupSize,
      durationMs,
    } as const;
    observer.notify(error === undefined ? event : { ...event, error });
  }

  /** Resolves once everything written so far is committed, whatever the durability. */
  flush(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    const dirty = this.dirty;
    if (dirty) this.#queue();
    return this.gate.wait(this.gate.target(dirty));
  }

  /** Whether `durable()` would resolve at once: nothing written since the last commit landed. */
  get settled(): boolean {
    return this.#owner.relaxed || (this.#failure === undefined && !this.dirty && this.gate.committed >= this.gate.taken);
  }

  /** Like `flush`, but at once for relaxed durability: the output gate of replies. */
  durable(): Promise<void> {
    return this.#owner.relaxed ? Promise.resolve() : this.flush();
  }

  /** Runs `run` (an event delivery) once the writes made before it are committed. */
  afterCommit(run: () => void): void {
    if (this.#owner.relaxed) {
      run();
      return;
    }
    const dirty = this.dirty;
    if (dirty) this.#queue();
    this.gate.after(this.gate.target(dirty), run);
  }

  /** Nothing more will be written: fail everything still waiting. */
  abandon(error: unknown): void {
    this.gate.abandon(attribute(error, this.#owner.log));
    this.#clearTimer();
  }

  #clearTimer(): void {
    this.#saveTimer?.cancel();
    this.#saveTimer = undefined;
  }
}
