// The in-memory storage driver, for tests and for library mode without persistence. It follows the
// same contract as the durable drivers (the conformance suite runs against it), and copies every
// byte array in and out so callers can never alias stored data.

import Database from "better-sqlite3";
import { errors } from "../../base/errors.ts";
import { copyBytes } from "../../base/bytes.ts";
import { fenced, malformedBatch } from "../commit-errors.ts";
import type {
  ActorListOptions,
  ActorRecord,
  ActorDatabaseStore,
  Bytes,
  CommitBatch,
  DueAlarm,
  ListOptions,
  StorageDriver,
} from "../driver.ts";
import { keyRange, limitOf } from "../key-range.ts";
import { SortedKv } from "./sorted-kv.ts";

export class MemoryDriver implements StorageDriver {
  readonly kind = "memory";
  private readonly actors = new Map<string, ActorRecord>();
  /** directoryKey(name, key) → id. */
  private readonly ids = new Map<string, string>();
  private readonly kv = new Map<string, SortedKv>();
  private readonly alarms = new Map<string, number>();
  private readonly databases = new Map<string, Database.Database>();

  async getActorById(id: string): Promise<ActorRecord | undefined> {
    const record = this.actors.get(id);
    return record && copyRecord(record);
  }

  async getActorByKey(name: string, key: readonly string[]): Promise<ActorRecord | undefined> {
    const id = this.ids.get(directoryKey(name, key));
    return id === undefined ? undefined : this.getActorById(id);
  }

  async listActors(options: ActorListOptions = {}): Promise<ActorRecord[]> {
    const after = options.after;
    const records = [...this.actors.values()]
      .filter((r) => (options.name === undefined || r.name === options.name) && (after === undefined || r.id > after))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return records.slice(0, limitOf(options.limit)).map(copyRecord);
  }

  async get(actorId: string, keys: Bytes[]): Promise<Array<Bytes | undefined>> {
    const kv = this.kv.get(actorId);
    return keys.map((key) => {
      const value = kv?.get(key);
      return value && copyBytes(value);
    });
  }

  async list(actorId: string, options: ListOptions = {}): Promise<Array<[Bytes, Bytes]>> {
    const kv = this.kv.get(actorId);
    const range = keyRange(options);
    if (kv === undefined || range === undefined) return [];
    return kv.range(range, options.reverse ?? false, limitOf(options.limit)).map(([k, v]) => [copyBytes(k), copyBytes(v)]);
  }

  async commit(batches: CommitBatch[]): Promise<Array<Error | undefined>> {
    // Every check happens before the first write of a batch and nothing after it can fail, so a
    // rejected batch needs no rollback.
    return batches.map((batch) => this.apply(batch));
  }

  async dueAlarms(upTo: number, limit: number): Promise<DueAlarm[]> {
    const due: DueAlarm[] = [];
    for (const [actorId, at] of this.alarms) if (at <= upTo) due.push({ actorId, at });
    due.sort((a, b) => a.at - b.at || (a.actorId < b.actorId ? -1 : 1));
    return due.slice(0, limitOf(limit));
  }

  async nextAlarm(): Promise<number | undefined> {
    let next: number | undefined;
    for (const at of this.alarms.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  /** Keeps the data: a test may hand the same driver to a restarted runtime, as it would reopen a file. */
  async close(): Promise<void> {}

  /** In-memory databases, left open when their actor sleeps: the connection is where the data lives. */
  actorDatabase(actorId: string): ActorDatabaseStore {
    return {
      open: () => {
        let db = this.databases.get(actorId);
        if (db === undefined) {
          db = new Database(":memory:");
          this.databases.set(actorId, db);
        }
        return db;
      },
      close: () => {},
      remove: () => {
        this.databases.get(actorId)?.close();
        this.databases.delete(actorId);
      },
    };
  }

  private apply(batch: CommitBatch): Error | undefined {
    const rejected = malformedBatch(batch) ?? this.checkAndClaim(batch);
    if (rejected) return rejected;
    const id = batch.actorId;
    if (batch.destroy) {
      const record = this.actors.get(id)!;
      this.ids.delete(directoryKey(record.name, record.key));
      this.actors.delete(id);
      this.kv.delete(id);
      this.alarms.delete(id);
      return undefined;
    }
    let kv = this.kv.get(id);
    if (kv === undefined) {
      kv = new SortedKv();
      this.kv.set(id, kv);
    }
    for (const [start, end] of batch.deleteRanges ?? []) kv.deleteRange(start, end);
    for (const key of batch.deletes ?? []) kv.delete(key);
    for (const [key, value] of batch.puts ?? []) kv.set(copyBytes(key), copyBytes(value));
    if (batch.alarm === null) this.alarms.delete(id);
    else if (batch.alarm !== undefined) this.alarms.set(id, batch.alarm);
    return undefined;
  }

  /** The epoch check (or the create) of a batch: the only step that can reject it. */
  private checkAndClaim(batch: CommitBatch): Error | undefined {
    const { create } = batch;
    if (create) {
      const key = directoryKey(create.name, create.key);
      if (this.actors.has(batch.actorId) || this.ids.has(key)) return errors.duplicateKey(create.name, create.key);
      this.actors.set(batch.actorId, copyRecord({ ...create, epoch: batch.epoch }));
      this.ids.set(key, batch.actorId);
      return undefined;
    }
    const record = this.actors.get(batch.actorId);
    const expected = batch.claim ? batch.epoch - 1 : batch.epoch;
    if (record === undefined || record.epoch !== expected) return fenced(batch, record?.epoch);
    record.epoch = batch.epoch;
    return undefined;
  }
}

/** One string per (name, key); JSON keeps ["a", "b"] apart from ["a,b"] and from ["a"]. */
function directoryKey(name: string, key: readonly string[]): string {
  return JSON.stringify([name, key]);
}

function copyRecord(record: ActorRecord): ActorRecord {
  const copy: ActorRecord = {
    id: record.id,
    name: record.name,
    key: [...record.key],
    createdAt: record.createdAt,
    epoch: record.epoch,
  };
  if (record.input !== undefined) copy.input = copyBytes(record.input);
  return copy;
}
