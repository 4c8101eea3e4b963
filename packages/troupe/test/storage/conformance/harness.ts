// What every conformance test file shares: the driver under test (a fresh one per test) and small
// helpers that make byte arrays and failures readable.

import { afterEach, beforeEach, expect } from "vitest";
import type { ActorRecord, Bytes, CommitBatch, StorageDriver } from "../../../src/storage/driver.ts";

export interface OpenedDriver {
  driver: StorageDriver;
  cleanup(): Promise<void>;
}

export interface Harness {
  /** The driver of the running test; read it inside a test or hook, never at definition time. */
  readonly driver: StorageDriver;
  /** Commits and expects every batch to be accepted. */
  commitOk(...batches: CommitBatch[]): Promise<void>;
  /** Creates an actor named "counter" at epoch 1, with more writes in the same batch if given. */
  create(id: string, key?: string[], extra?: Partial<CommitBatch>): Promise<void>;
  put(id: string, pairs: Array<[Bytes, Bytes]>, epoch?: number): Promise<void>;
}

/** Opens a driver before each test and cleans it up after, even when the test failed. */
export function useDriver(open: () => Promise<OpenedDriver>): Harness {
  let opened: OpenedDriver | undefined;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    const current = opened;
    opened = undefined;
    await current?.cleanup();
  });

  const harness: Harness = {
    get driver() {
      if (opened === undefined) throw new Error("The driver is only open while a test runs.");
      return opened.driver;
    },
    async commitOk(...batches) {
      expect((await harness.driver.commit(batches)).map(codeOf)).toEqual(batches.map(() => undefined));
    },
    async create(id, key = [id], extra = {}) {
      await harness.commitOk({ actorId: id, epoch: 1, create: record(id, key), ...extra });
    },
    async put(id, pairs, epoch = 1) {
      await harness.commitOk({ actorId: id, epoch, puts: pairs });
    },
  };
  return harness;
}

const text = new TextEncoder();

export const b = (...bytes: number[]): Uint8Array => new Uint8Array(bytes);
export const s = (value: string): Uint8Array => text.encode(value);

/** Bytes as hex, so that a failing assertion prints keys one can read. */
export const hex = (bytes: Bytes | undefined): string | undefined =>
  bytes === undefined ? undefined : Array.from(bytes, (x) => x.toString(16).padStart(2, "0")).join("");
export const entries = (list: Array<[Bytes, Bytes]>): string[] => list.map(([k, v]) => `${hex(k)}=${hex(v)}`);
export const keysOf = (list: Array<[Bytes, Bytes]>): Array<string | undefined> => list.map(([k]) => hex(k));

/** "group.code" of an ActorError, so a failing assertion shows which error came back. */
export function codeOf(error: Error | undefined): string | undefined {
  if (error === undefined) return undefined;
  const { group, code } = error as Error & { group?: string; code?: string };
  return group === undefined ? `${error.name}: ${error.message}` : `${group}.${code}`;
}

export function record(id: string, key: string[] = [id], name = "counter", input?: Bytes): ActorRecord {
  const created: ActorRecord = { id, name, key, createdAt: 1_700_000_000_000, epoch: 1 };
  if (input !== undefined) created.input = input;
  return created;
}
