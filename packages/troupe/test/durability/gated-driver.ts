// A real SQLite driver whose commits can be held back, to watch what waits for durability.

import type { CommitBatch, StorageDriver } from "../../src/storage/driver.ts";

export interface GatedDriver extends StorageDriver {
  readonly commits: CommitBatch[][];
  hold(): void;
  release(): void;
}

export function gated(inner: StorageDriver): GatedDriver {
  let held: Array<() => void> | undefined;
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
    async commit(batches) {
      if (held) await new Promise<void>((resolve) => held?.push(resolve));
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
