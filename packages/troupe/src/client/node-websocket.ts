// The WebSocket of the client under Node: the global one when Node has it, else the ws package
// (Node 20), whose frames sent in one tick leave in one write (a client with many calls in flight
// otherwise pays a syscall per call). Its own module, so that a cluster node's in-process client
// loads ws only when needed.

import { WebSocket as WsWebSocket } from "ws";
import { streamUnder, WriteBatch } from "./write-batch.ts";
import type { WebSocketConstructor } from "./remote-conn.ts";

class BatchedWebSocket extends WsWebSocket {
  #batch: WriteBatch | undefined;

  /** The client sends data alone (no options, no callback). */
  override send(data: Parameters<WsWebSocket["send"]>[0]): void {
    // The network socket exists once the socket is open, the only time the client sends.
    if (this.readyState === WsWebSocket.OPEN) (this.#batch ??= new WriteBatch(streamUnder(this))).add();
    super.send(data);
  }
}

export function nodeWebSocket(): WebSocketConstructor {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ?? (BatchedWebSocket as unknown as WebSocketConstructor);
}
