// A counter per key, served by the route handlers in app/api/troupe/[...all]/route.ts.

import { actor, event, setup } from "troupe";

export const counter = actor({
  state: { count: 0 },
  events: { changed: event<number>() },
  actions: {
    increment: (c, by: number = 1) => {
      c.state.count += by;
      c.broadcast("changed", c.state.count);
      return c.state.count;
    },
    get: (c) => c.state.count,
  },
});

// The base path is the route's folder: Next hands the handlers the whole URL.
export const registry = setup({ use: { counter }, basePath: "/api/troupe" });
