// A cursor-sharing room over a raw WebSocket, written as a RivetKit app: only the imports name
// troupe. `onWebSocket` takes plain sockets speaking JSON; positions are relayed to every socket
// of the room, and `onRequest` answers a plain HTTP status query.

import { actor, setup } from "troupe";

interface Cursor {
  id: string;
  x: number;
  y: number;
}

export const cursors = actor({
  state: { moves: 0 },
  createVars: () => ({ sockets: new Map<string, WebSocket>() }),
  onWebSocket: (c, socket) => {
    const id = c.conn.id;
    c.vars.sockets.set(id, socket);
    socket.send(JSON.stringify({ type: "welcome", id, peers: c.vars.sockets.size }));
    socket.addEventListener("message", (event) => {
      const { x, y } = JSON.parse(String(event.data)) as { x: number; y: number };
      c.state.moves++;
      const move: Cursor = { id, x, y };
      for (const [peer, other] of c.vars.sockets) if (peer !== id) other.send(JSON.stringify({ type: "move", ...move }));
    });
    socket.addEventListener("close", () => {
      c.vars.sockets.delete(id);
    });
  },
  onRequest: (c) => Response.json({ peers: c.vars.sockets.size, moves: c.state.moves }),
  actions: { moves: (c) => c.state.moves },
});

export const registry = setup({ use: { cursors } });
