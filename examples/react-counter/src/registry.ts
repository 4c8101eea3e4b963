// The server side: a counter per room; every change is broadcast to the room's connections.

import { actor, event, setup } from "troupe";

export const counter = actor({
  state: { count: 0 },
  events: { changed: event<number>() },
  actions: {
    increment: (c, by: number) => {
      c.state.count += by;
      c.broadcast("changed", c.state.count);
      return c.state.count;
    },
    get: (c) => c.state.count,
  },
});

export const registry = setup({ use: { counter } });
