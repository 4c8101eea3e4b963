// A real SQLite driver whose commits can be held back, to watch what waits for durability.

import type { CommitBatch, StorageDriver } from "../../src/storage/driver.ts";

export interface GatedDriver extends StorageDriver {
  readonly commits: CommitBatch[][];
  hold(): void;
  release(): void;
  /** The next commit fails as a broken disk would: nothing is written. */
  failNext(): void;
}

export function gated(inner: StorageDriver): GatedDriver {
  let held: Array<() => void> | undefined;
  let fail = false;
  const commits: CommitBatch[][] = [];
  return {
    kind: inner.kind,
    commits,
    hold() {
      held ??= [];
    },
    release() {
      const waiting = held ?? [];
      held = undefined;
      for (const go of waiting) go();
    },
    failNext() {
      fail = true;
    },
    async commit(batches) {
      if (held) await new Promise<void>((resolve) => held?.push(resolve));
      if (fail) {
        fail = false;
        throw new Error("disk I/O error");
      }
      commits.push(batches);
      return inner.commit(batches);
    },
    getActorById: (id) => inner.getActorById(id),
    getActorByKey: (name, key) => inner.getActorByKey(name, key),
    listActors: (options) => inner.listActors(options),
    get: (actorId, keys) => inner.get(actorId, keys),
    list: (actorId, options) => inner.list(actorId, options),
    dueAlarms: (upTo, limit) => inner.dueAlarms(upTo, limit),
    nextAlarm: () => inner.nextAlarm(),
    close: () => inner.close(),
  };
}
