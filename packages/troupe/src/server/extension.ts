// What the server serves beside the actors (the inspector): HTTP routes on the same app, and
// WebSocket endpoints of its own. The server knows nothing of what an extension is for.

import type { Hono } from "hono";
import type { ServerSocket } from "./socket.ts";
import type { TrafficObserver } from "./traffic.ts";

export interface ServerExtension {
  /** Adds the extension's HTTP routes to the app (once, before its fallback for unknown paths). */
  routes(app: Hono): void;
  /**
   * A WebSocket upgrade to a path the actor routes do not serve: undefined when it is not the
   * extension's, a Response to refuse it with (the handshake's answer), or the socket's handler.
   */
  upgrade?(request: Request, protocols: readonly string[]): Promise<Response | SocketHandler | undefined>;
  /** Told what crosses the wire on the actor routes (the metrics count it); read once when the server is built. */
  readonly traffic?: TrafficObserver;
}

export interface SocketHandler {
  /** The subprotocol to select, one of those the client offered (browsers require one when they offered any). */
  readonly protocol: string | undefined;
  open(socket: ServerSocket): void;
}

/** The first extension's answer to an upgrade the actor routes do not serve; undefined when none takes it. */
export async function extensionUpgrade(
  extensions: readonly ServerExtension[],
  request: Request,
  protocols: readonly string[],
): Promise<Response | SocketHandler | undefined> {
  for (const extension of extensions) {
    const answer = await extension.upgrade?.(request, protocols);
    if (answer !== undefined) return answer;
  }
  return undefined;
}
