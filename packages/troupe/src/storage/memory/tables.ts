// The memory driver's data (the directory, every actor's keys and the alarms) and the writes a
// commit batch makes to it.

import { copyBytes } from "../../base/bytes.ts";
import type { BatchWriter } from "../apply-batch.ts";
import type { ActorRecord, Bytes } from "../driver.ts";
import { SortedKv } from "./sorted-kv.ts";

export class MemoryTables implements BatchWriter {
  readonly actors = new Map<string, ActorRecord>();
  /** directoryKey(name, key) → id. */
  readonly ids = new Map<string, string>();
  readonly kv = new Map<string, SortedKv>();
  readonly alarms = new Map<string, number>();

  insertActor(record: ActorRecord, epoch: number): boolean {
    const key = directoryKey(record.name, record.key);
    if (this.actors.has(record.id) || this.ids.has(key)) return false;
    this.actors.set(record.id, copyRecord({ ...record, epoch }));
    this.ids.set(key, record.id);
    return true;
  }

  claimEpoch(actorId: string, from: number, to: number): boolean {
    const record = this.actors.get(actorId);
    if (record?.epoch !== from) return false;
    record.epoch = to;
    return true;
  }

  hasEpoch(actorId: string, epoch: number): boolean {
    return this.actors.get(actorId)?.epoch === epoch;
  }

  epochOf(actorId: string): number | undefined {
    return this.actors.get(actorId)?.epoch;
  }

  deleteActor(actorId: string): void {
    const record = this.actors.get(actorId);
    if (record) this.ids.delete(directoryKey(record.name, record.key));
    this.actors.delete(actorId);
    this.kv.delete(actorId);
    this.alarms.delete(actorId);
  }

  deleteRange(actorId: string, start: Bytes, end: Bytes): void {
    this.kv.get(actorId)?.deleteRange(start, end);
  }

  deleteKey(actorId: string, key: Bytes): void {
    this.kv.get(actorId)?.delete(key);
  }

  put(actorId: string, key: Bytes, value: Bytes): void {
    let kv = this.kv.get(actorId);
    if (kv === undefined) {
      kv = new SortedKv();
      this.kv.set(actorId, kv);
    }
    kv.set(copyBytes(key), copyBytes(value));
  }

  setAlarm(actorId: string, at: number | null): void {
    if (at === null) this.alarms.delete(actorId);
    else this.alarms.set(actorId, at);
  }
}

/** One string per (name, key); JSON keeps ["a", "b"] apart from ["a,b"] and from ["a"]. */
export function directoryKey(name: string, key: readonly string[]): string {
  return JSON.stringify([name, key]);
}

export function copyRecord(record: ActorRecord): ActorRecord {
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
