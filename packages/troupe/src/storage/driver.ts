// The storage driver interface: an actor directory plus one ordered key-value namespace per actor,
// written in atomic batches that carry the writing activation's epoch (its fencing token).

export type Bytes = Uint8Array;

export interface ActorRecord {
  id: string;
  name: string;
  key: string[];
  createdAt: number;
  /** CBOR-encoded create input, kept so an interrupted creation can be finished on the next wake. */
  input?: Bytes;
  /** Epoch of the newest activation that claimed the actor; 0 for a record that was never claimed. */
  epoch: number;
}

/**
 * Writes to one actor's keys, applied in this order: `deleteRanges`, then `deletes`, then `puts`
 * (so a put wins over a delete of the same key in the same batch; of two puts, the last wins).
 * Drivers copy the bytes: the caller may reuse its arrays once `commit` is called.
 */
export interface KvWrites {
  puts?: Array<[Bytes, Bytes]>;
  deletes?: Bytes[];
  /** Half-open ranges [start, end). */
  deleteRanges?: Array<[Bytes, Bytes]>;
}

/**
 * One actor's share of a commit. Exactly one of `create`, `claim` or neither applies:
 * - `create`: insert the record in the same transaction as the writes, stored with the batch's
 *   `epoch` (`create.epoch` is not read; `claim` is implied); `create.id` must equal `actorId`.
 *   Fails with `actor.duplicate_key` when name+key or id is taken.
 * - `claim`: the activation takes over: the stored epoch must be `epoch - 1` and becomes `epoch`.
 * - neither: the stored epoch must equal `epoch`.
 * A batch whose epoch check fails (including when the record does not exist, e.g. it was
 * destroyed) is rejected with `actor.fenced` and changes nothing; the other batches of the same
 * commit are unaffected. Batches apply in order, so a later batch sees the effects of earlier
 * ones (a claim followed by a write at the new epoch succeeds in one commit).
 */
export interface CommitBatch extends KvWrites {
  actorId: string;
  epoch: number;
  create?: ActorRecord;
  claim?: boolean;
  /** Earliest alarm of the actor: a time in ms, `null` to clear it, omitted to leave it. */
  alarm?: number | null;
  /** Deletes the record, all of its keys and its alarm (after the epoch check), whatever else the batch writes. */
  destroy?: boolean;
}

/** Keys are ordered bytewise (unsigned; a key sorts before the longer keys it prefixes). */
export interface ListOptions {
  /** Only keys starting with these bytes; combines with `start` and `end` (all must hold). */
  prefix?: Bytes;
  /** Inclusive lower bound. */
  start?: Bytes;
  /** Exclusive upper bound. */
  end?: Bytes;
  /** Descending order; with `limit`, the last keys of the range. */
  reverse?: boolean;
  /** At most this many entries; 0 returns none. */
  limit?: number;
}

export interface DueAlarm {
  actorId: string;
  at: number;
}

/** Records are listed in ascending id order. */
export interface ActorListOptions {
  name?: string;
  limit?: number;
  /** Return records whose id sorts after this one (paging). */
  after?: string;
}

/**
 * Every byte array a driver returns is a fresh copy that the caller owns. Reads of an unknown
 * actor find nothing rather than failing.
 */
export interface StorageDriver {
  readonly kind: string;
  getActorById(id: string): Promise<ActorRecord | undefined>;
  getActorByKey(name: string, key: readonly string[]): Promise<ActorRecord | undefined>;
  listActors(options?: ActorListOptions): Promise<ActorRecord[]>;
  get(actorId: string, keys: Bytes[]): Promise<Array<Bytes | undefined>>;
  list(actorId: string, options?: ListOptions): Promise<Array<[Bytes, Bytes]>>;
  /**
   * Applies every batch in one storage transaction; returns, per batch, undefined or the error
   * that rejected it. Rejects, having applied nothing, only when the storage itself fails.
   */
  commit(batches: CommitBatch[]): Promise<Array<Error | undefined>>;
  /** Alarms due at or before `upTo`, earliest first. Reading does not clear them: a commit does. */
  dueAlarms(upTo: number, limit: number): Promise<DueAlarm[]>;
  /** The earliest alarm of all actors, if any. */
  nextAlarm(): Promise<number | undefined>;
  /** Rejects with the typed error that keeps the storage from working (e.g. its file was deleted), if any. */
  check?(): Promise<void>;
  /** Optional (the inspector shows it when present): the stored alarm of one actor, if it has one. */
  actorAlarm?(actorId: string): Promise<number | undefined>;
  close(): Promise<void>;
}
