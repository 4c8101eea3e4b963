// The actors every workload uses: a counter with small state, in strict and relaxed durability,
// a broadcaster for event fan-out, and a notebook that writes to its own SQL database.

import { type ActorOptions, actor, setup, SqliteDriver } from "troupe";
import { db } from "troupe/db";
import { wallClock } from "./clock.ts";

const actions = {
  increment: (c: { state: { count: number } }, by: number) => {
    c.state.count += by;
    return c.state.count;
  },
  get: (c: { state: { count: number } }) => c.state.count,
  echo: (_c: unknown, value: unknown) => value,
};

export function counterActor(options: ActorOptions) {
  return actor({ state: { count: 0 }, actions, options });
}

// Long enough that nothing falls asleep while a workload runs, unless a workload puts it to sleep.
const sleepTimeout = 3_600_000;

export interface Tick {
  seq: number;
  /** wallClock() when it was broadcast. */
  sentAt: number;
}

export const definitions = {
  counter: counterActor({ sleepTimeout }),
  relaxedCounter: counterActor({ sleepTimeout, durability: "relaxed" }),
  broadcaster: actor({
    actions: {
      /** Broadcasts `count` "tick" events to every subscribed connection. */
      burst: (c, count: number) => {
        for (let seq = 0; seq < count; seq++) c.broadcast("tick", { seq, sentAt: wallClock() } satisfies Tick);
      },
    },
    options: { sleepTimeout },
  }),
  notebook: actor({
    db: db({ onMigrate: (tx) => tx.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)") }),
    actions: {
      /** One INSERT, its own transaction. */
      add: async (c, body: string) => {
        await c.db.execute("INSERT INTO notes (body) VALUES (?)", body);
      },
    },
    options: { sleepTimeout },
  }),
};

export const registry = setup({ use: definitions });

/** A runtime on a fresh SQLite file with the default (durable) settings. */
export function openRuntime(path: string) {
  return registry.createRuntime(new SqliteDriver({ path }));
}
