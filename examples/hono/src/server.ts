// A Hono app of its own (a /hello route) with the registry mounted under /api/troupe: HTTP through
// the registry's routes, WebSockets through @hono/node-ws. src/main.ts serves it.

import { serve } from "@hono/node-server";
import { createNodeWebSocket } from "@hono/node-ws";
import { Hono } from "hono";
import { registry } from "./registry.ts";

export function createApp() {
  const app = new Hono();
  const { injectWebSocket, upgradeWebSocket } = createNodeWebSocket({ app });
  app.get("/hello", (c) => c.text("Hello from the app"));
  app.all("/api/troupe/*", registry.honoHandler(upgradeWebSocket));
  return { app, injectWebSocket };
}

/** Serves the app on `port` (0 picks a free one); `close` stops it and saves every actor. */
export async function start(port: number) {
  const { app, injectWebSocket } = createApp();
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s));
  });
  injectWebSocket(server);
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open WebSockets would keep the server from closing: the registry's shutdown does not end them.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await registry.shutdown();
    },
  };
}
