// `troupe/client` as Node loads it (the "node" export condition): the same client, with the ws
// package as its WebSocket when Node has no global one (Node 20).

import { createClient as createBrowserClient } from "./index.ts";
import { type ClientConfig, clientConfig } from "./config.ts";
import { nodeWebSocket } from "./node-websocket.ts";
import type { ClientOptions } from "./remote-driver.ts";
import type { Client } from "./types.ts";

export * from "./index.ts";

/** A client for the actors served at `endpoint` (see the browser entry: no URL and `{ endpoint }` work too). */
export function createClient<R>(endpointOrConfig?: string | ClientConfig, options: ClientOptions = {}): Client<R> {
  const config = clientConfig(endpointOrConfig, options);
  const WebSocket = config.options.WebSocket ?? nodeWebSocket();
  return createBrowserClient<R>(config.endpoint, { ...config.options, WebSocket });
}
