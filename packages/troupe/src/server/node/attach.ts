// A registry mounted in an existing Node server (Express, Hono on @hono/node-server, a Next.js
// custom server, plain node:http): its HTTP routes as a request listener, and its WebSockets on the
// server's "upgrade" event, leaving upgrades outside the base path to the server's other listeners.

import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Logger } from "pino";
import type { Upgrades } from "../upgrades.ts";
import { NodeWebSockets } from "./web-sockets.ts";

export interface AttachedSockets {
  /** Stops taking upgrades on the server and closes the sockets it accepted (going away: clients reconnect). */
  close(): Promise<void>;
}

/** What `attach` needs of a server: its "upgrade" event (an http.Server, an https.Server, ...). */
export type UpgradingServer = Pick<Server, "on" | "off">;

/** Node's request listener, as node:http and Express call it. */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

const CLOSE_WAIT_MS = 2_000;

/** Serves the registry's WebSockets on `server` (anything emitting Node's "upgrade" event). */
export function attachWebSockets(server: UpgradingServer, upgrades: Upgrades, logger: Logger): AttachedSockets {
  const { basePath, maxIncomingMessageSize } = upgrades.options;
  const sockets = new NodeWebSockets(upgrades.answer, { basePath, maxIncomingMessageSize, logger, ownServer: false });
  server.on("upgrade", sockets.onUpgrade);
  return {
    async close() {
      server.off("upgrade", sockets.onUpgrade);
      await sockets.close(CLOSE_WAIT_MS);
    },
  };
}

/** Node's (req, res) request listener for `fetch`, for Express and plain node:http. */
export function nodeRequestListener(fetch: (request: Request) => Promise<Response>): NodeRequestListener {
  const listener = getRequestListener(fetch);
  return (req, res) => {
    // Express strips the mount path from `url` when mounted with app.use(path); the registry's
    // routes are matched against its base path, which needs the whole path.
    const original = (req as { originalUrl?: string }).originalUrl;
    if (original !== undefined) req.url = original;
    void listener(req, res);
  };
}
