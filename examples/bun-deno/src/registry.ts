// A counter per key, served under /api/troupe by src/bun.ts or src/deno.ts. Its state is kept in
// SQLite under .troupe/ (TROUPE_STORAGE_PATH to move it): bun:sqlite on Bun, node:sqlite on Deno.

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
  },
});

export const registry = setup({ use: { counter }, basePath: "/api/troupe" });
