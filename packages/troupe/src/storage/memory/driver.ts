// The in-memory storage driver, for tests and for library mode without persistence. It follows the
// same contract as the durable drivers (the conformance suite runs against it), and copies every
// byte array in and out so callers can never alias stored data.

import { copyBytes } from "../../base/bytes.ts";
import { applyBatch } from "../apply-batch.ts";
import type { ActorListOptions, ActorRecord, Bytes, CommitBatch, DueAlarm, ListOptions, StorageDriver } from "../driver.ts";
import { keyRange, limitOf } from "../key-range.ts";
import { copyRecord, directoryKey, MemoryTables } from "./tables.ts";

export class MemoryDriver implements StorageDriver {
  readonly kind = "memory";
  readonly #tables = new MemoryTables();

  async getActorById(id: string): Promise<ActorRecord | undefined> {
    const record = this.#tables.actors.get(id);
    return record && copyRecord(record);
  }

  async getActorByKey(name: string, key: readonly string[]): Promise<ActorRecord | undefined> {
    const id = this.#tables.ids.get(directoryKey(name, key));
    return id === undefined ? undefined : this.getActorById(id);
  }

  async listActors(options: ActorListOptions = {}): Promise<ActorRecord[]> {
    const after = options.after;
    const records = [...this.#tables.actors.values()]
      .filter((r) => (options.name === undefined || r.name === options.name) && (after === undefined || r.id > after))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return records.slice(0, limitOf(options.limit)).map(copyRecord);
  }

  async get(actorId: string, keys: Bytes[]): Promise<Array<Bytes | undefined>> {
    const kv = this.#tables.kv.get(actorId);
    return keys.map((key) => {
      const value = kv?.get(key);
      return value && copyBytes(value);
    });
  }

  async list(actorId: string, options: ListOptions = {}): Promise<Array<[Bytes, Bytes]>> {
    const kv = this.#tables.kv.get(actorId);
    const range = keyRange(options);
    if (kv === undefined || range === undefined) return [];
    return kv.range(range, options.reverse ?? false, limitOf(options.limit)).map(([k, v]) => [copyBytes(k), copyBytes(v)]);
  }

  async commit(batches: CommitBatch[]): Promise<Array<Error | undefined>> {
    // Nothing in a batch can fail after its first write, so no commit needs a rollback.
    return batches.map((batch) => applyBatch(this.#tables, batch));
  }

  async dueAlarms(upTo: number, limit: number): Promise<DueAlarm[]> {
    const due: DueAlarm[] = [];
    for (const [actorId, at] of this.#tables.alarms) if (at <= upTo) due.push({ actorId, at });
    due.sort((a, b) => a.at - b.at || (a.actorId < b.actorId ? -1 : 1));
    return due.slice(0, limitOf(limit));
  }

  async nextAlarm(): Promise<number | undefined> {
    let next: number | undefined;
    for (const at of this.#tables.alarms.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  async actorAlarm(actorId: string): Promise<number | undefined> {
    return this.#tables.alarms.get(actorId);
  }

  /** Keeps the data: a test may hand the same driver to a restarted runtime, as it would reopen a file. */
  async close(): Promise<void> {}
}
