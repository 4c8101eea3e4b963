// The actors of the troupe/react tests: a room that counts its connections and refuses "mallory".

import { actor, event, forbiddenError, setup } from "troupe";

export const room = actor({
  state: { connects: 0 },
  events: { posted: event<string>() },
  onBeforeConnect: (_c, params: { user: string } | undefined) => {
    if (params?.user === "mallory") throw forbiddenError("Not you.");
  },
  onConnect: (c) => {
    // Only the pages' connections, which all pass a user: a stateless call (the tests') gets a
    // connection of its own for the call, without params.
    if (c.conn.params) c.state.connects++;
  },
  actions: {
    /** Connections open now, other than the caller's own (a stateless call has one for the call). */
    conns: (c) => [...c.conns.values()].filter((conn) => conn !== c.conn).length,
    /** Connections ever opened with a user. */
    connects: (c) => c.state.connects,
    post: (c, text: string) => c.broadcast("posted", text),
  },
});

export const registry = setup({ use: { room } });
export type TestRegistry = typeof registry;
