// A user's registry, importing troupe as an installed package: state, typed events, a queue, a
// per-actor SQL database and a workflow, so that every entry point's types are exercised.

import { actor, event, queue, setup, UserError } from "troupe";
import { db } from "troupe/db";
import { workflow } from "troupe/workflow";

export const counter = actor({
  state: { count: 0 },
  events: { changed: event<number>() },
  db: db({ onMigrate: (tx) => tx.execute("CREATE TABLE IF NOT EXISTS log (n INTEGER)") }),
  actions: {
    increment: async (c, by: number) => {
      if (by <= 0) throw new UserError("Only positive steps.", { code: "bad_step" });
      c.state.count += by;
      await c.db.execute("INSERT INTO log (n) VALUES (?)", by);
      c.broadcast("changed", c.state.count);
      return c.state.count;
    },
    logged: async (c) => (await c.db.execute("SELECT count(*) AS n FROM log"))[0]?.n,
  },
});

export const greeter = actor({
  state: { greeted: [] as string[] },
  queues: { names: queue<string>() },
  run: workflow(async (ctx) => {
    const message = await ctx.queue.next("wait-name", { names: ["names"] });
    await ctx.step("greet", () => {
      ctx.state.greeted.push(`hello ${message.body}`);
    });
  }),
  actions: { greeted: (c) => c.state.greeted },
});

export const registry = setup({ use: { counter, greeter } });
