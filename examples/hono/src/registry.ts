// A chat room per key, served under /api/troupe inside the app in server.ts.

import { actor, event, setup } from "troupe";

export const room = actor({
  state: { messages: [] as Array<{ from: string; text: string }> },
  events: { message: event<{ from: string; text: string }>() },
  actions: {
    post: (c, from: string, text: string) => {
      const message = { from, text };
      c.state.messages.push(message);
      c.broadcast("message", message);
      return c.state.messages.length;
    },
    history: (c) => c.state.messages,
  },
});

export const registry = setup({ use: { room }, basePath: "/api/troupe" });
