// A counter per key: `increment` changes it durably and tells every connected client.

import { actor, setup } from "troupe";

export const counter = actor({
  state: { count: 0 },
  actions: {
    increment: (c, by: number = 1) => {
      c.state.count += by;
      c.broadcast("changed", c.state.count);
      return c.state.count;
    },
    get: (c) => c.state.count,
  },
});

export const registry = setup({ use: { counter } });
