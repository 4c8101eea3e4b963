// The WebSocket of the client under Node: the global one when Node has it, else the ws package
// (Node 20). Its own module, so that a cluster node's in-process client loads ws only when needed.

import { WebSocket as NodeWebSocket } from "ws";
import type { WebSocketConstructor } from "./remote-conn.ts";

export function nodeWebSocket(): WebSocketConstructor {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ?? (NodeWebSocket as unknown as WebSocketConstructor);
}
