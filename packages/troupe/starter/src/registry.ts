// The actors of this app. `npm run dev` serves them on http://127.0.0.1:6420 and reloads on save.

import { actor, event, setup } from "troupe";

export const counter = actor({
  state: { count: 0 },
  // Declared events: clients get their names and payload types in `conn.on(...)`.
  events: { changed: event<number>() },
  actions: {
    increment: (c, by: number) => {
      c.state.count += by; // saved before the reply is sent
      c.broadcast("changed", c.state.count);
      return c.state.count;
    },
    getCount: (c) => c.state.count,
  },
});

export const registry = setup({ use: { counter } });
