// Pings every WebSocket of a server at an interval and ends those that did not answer the last
// ping: a peer gone without a close (a lost network) would otherwise hold its connection forever.

import type { WebSocket, WebSocketServer } from "ws";

export interface Heartbeat {
  /** Starts watching a newly accepted socket. */
  watch(ws: WebSocket): void;
  stop(): void;
}

export function startHeartbeat(wss: WebSocketServer, intervalMs: number): Heartbeat {
  const alive = new WeakSet<WebSocket>();
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      // A socket the server stopped reading (backpressure, a connection opening) cannot have read its pong.
      if (ws.isPaused) continue;
      if (!alive.has(ws)) ws.terminate();
      alive.delete(ws);
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return {
    watch(ws) {
      alive.add(ws);
      ws.on("pong", () => alive.add(ws));
    },
    stop: () => clearInterval(timer),
  };
}
