// The actors of the crash workload: each kind of durable write Troupe offers, recorded so that a
// checker can tell whether every acknowledged one is there exactly once. A ledger takes state, KV,
// SQL, schedule and queue writes; a flow applies the messages of its queue in workflow steps.

import { actor, queue, setup } from "../../../src/index.ts";
import { db } from "../../../src/features/db/index.ts";
import { Loop, workflow } from "../../../src/features/workflow/index.ts";

export const KINDS = ["state", "kv", "sql", "schedule", "queue", "workflow"] as const;
export type Kind = (typeof KINDS)[number];

export const ledger = actor({
  state: { seqs: [] as number[], fired: [] as number[], processed: [] as number[] },
  queues: { jobs: queue<number>() },
  db: db({ onMigrate: (tx) => tx.execute("CREATE TABLE IF NOT EXISTS ops (seq INTEGER NOT NULL)") }),
  run: async (c) => {
    for await (const message of c.queue.iter({ names: ["jobs"], completable: true })) {
      // The state change and the completion go to storage in one commit: exactly once.
      c.state.processed.push(message.body as number);
      await message.complete();
    }
  },
  actions: {
    state: (c, seq: number) => {
      c.state.seqs.push(seq);
    },
    kv: (c, seq: number) => c.kv.put(`op/${seq}`, String(seq)),
    sql: async (c, seq: number) => {
      await c.db.execute("INSERT INTO ops (seq) VALUES (?)", seq);
    },
    schedule: async (c, seq: number) => {
      await c.schedule.after(Math.floor(Math.random() * 30), "fire", seq);
    },
    fire: (c, seq: number) => {
      c.state.fired.push(seq);
    },
    dump: async (c) => ({
      state: c.state.seqs,
      kv: (await c.kv.list("op/")).map(([, value]) => Number(value)),
      sql: (await c.db.execute<{ seq: number }>("SELECT seq FROM ops")).map((row) => row.seq),
      schedule: c.state.fired,
      queue: c.state.processed,
      pending: (await c.queue.size()) + (await c.schedule.list()).length,
    }),
  },
  options: { sleepTimeout: 200 },
});

export const flow = actor({
  state: { applied: [] as number[] },
  queues: { steps: queue<number>() },
  run: workflow(async (ctx) => {
    await ctx.loop("steps", async (ctx) => {
      const message = await ctx.queue.next("step", { names: ["steps"], completable: true });
      await ctx.step("apply", () => {
        ctx.state.applied.push(message.body);
      });
      await message.complete?.();
      return Loop.continue(undefined);
    });
  }),
  actions: {
    dump: async (c) => ({ workflow: c.state.applied, pending: await c.queue.size() }),
  },
  options: { sleepTimeout: 200 },
});

export function workloadRegistry(path: string) {
  return setup({ use: { ledger, flow }, storage: { driver: "sqlite", path }, logging: { level: "silent" } });
}

export const LEDGERS = 3;
export const FLOWS = 2;
