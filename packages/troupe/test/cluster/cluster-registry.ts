// The registry every node of the cluster tests serves: a history per key, in which each write
// records the instance that applied it, a schedule that records where it fired, and notes kept
// in the actor's own SQL database.

import { db } from "../../src/features/db/index.ts";
import { actor, setup } from "../../src/index.ts";

const NODE = process.env.TEST_NODE_NAME ?? "node";

export const history = actor({
  state: { log: [] as Array<[op: string, instance: string]>, fired: [] as Array<[tag: string, node: string]> },
  createVars: () => ({ instance: `${NODE}:${crypto.randomUUID()}` }),
  actions: {
    /** Appends `op`; returns the length of the log after it. */
    append: (c, op: string) => {
      c.state.log.push([op, c.vars.instance]);
      return c.state.log.length;
    },
    log: (c) => c.state.log,
    fired: (c) => c.state.fired,
    node: () => NODE,
    /** Schedules `tag` to be recorded in `ms`; with `sleep`, the actor then sleeps (and holds no lease) until it fires. */
    scheduleFire: async (c, ms: number, tag: string, sleep = false) => {
      await c.schedule.after(ms, "record", tag);
      if (sleep) c.sleep();
      return NODE;
    },
    record: (c, tag: string) => {
      c.state.fired.push([tag, NODE]);
    },
  },
  options: { sleepTimeout: Number(process.env.TEST_SLEEP_MS ?? 200) },
});

export const echo = actor({
  state: {},
  onRequest: (_c, request) => new Response(`${NODE} ${new URL(request.url).pathname}`),
  onWebSocket: (_c, socket) => {
    socket.addEventListener("message", (event) => socket.send(`${NODE}:${String(event.data)}`));
  },
  actions: { node: () => NODE },
});

export const notebook = actor({
  db: db({ onMigrate: (tx) => tx.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)") }),
  actions: {
    add: async (c, body: string) => {
      await c.db.execute("INSERT INTO notes (body) VALUES (?)", body);
    },
    bodies: async (c) => (await c.db.execute<{ body: string }>("SELECT body FROM notes ORDER BY id")).map((row) => row.body),
    check: async (c) => (await c.db.execute<{ integrity_check: string }>("PRAGMA integrity_check"))[0]?.integrity_check,
    node: () => NODE,
  },
  options: { sleepTimeout: Number(process.env.TEST_SLEEP_MS ?? 200) },
});

export const registry = setup({ use: { history, echo, notebook } });
