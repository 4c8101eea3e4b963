// The registry the CLI tests serve: an append-only ledger per key.

import { actor, setup } from "../../src/index.ts";

const ledger = actor({
  state: { entries: [] as number[] },
  actions: {
    add: (c, n: number) => {
      c.state.entries.push(n);
      c.broadcast("added", n);
      return c.state.entries.length;
    },
    slowAdd: async (c, n: number, ms: number) => {
      c.conn.send("slowStarted");
      await new Promise((resolve) => setTimeout(resolve, ms));
      c.state.entries.push(n);
      return c.state.entries.length;
    },
    entries: (c) => c.state.entries,
    version: () => "v1",
  },
});

export const registry = setup({ use: { ledger } });
