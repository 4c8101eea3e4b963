// `troupe/client` as Node loads it (the "node" export condition): the same client, with the ws
// package as its WebSocket when Node has no global one (Node 20).

import { createClient as createBrowserClient } from "./index.ts";
import { nodeWebSocket } from "./node-websocket.ts";
import type { ClientOptions } from "./remote-driver.ts";
import type { Client } from "./types.ts";

export * from "./index.ts";

/** A client for the actors served at `endpoint` (e.g. "http://127.0.0.1:6420"). */
export function createClient<R>(endpoint: string, options: ClientOptions = {}): Client<R> {
  const WebSocket = options.WebSocket ?? nodeWebSocket();
  return createBrowserClient<R>(endpoint, { ...options, WebSocket });
}
