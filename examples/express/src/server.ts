// An Express app of its own (a /hello route) with the registry mounted under /api/troupe: HTTP
// through registry.nodeHandler, WebSockets on the same http.Server through registry.attach.
// src/main.ts serves it.

import type { Server } from "node:http";
import express from "express";
import { registry } from "./registry.ts";

export function createApp() {
  const app = express();
  app.get("/hello", (_req, res) => {
    res.send("Hello from the app");
  });
  // Before any body parser: the registry reads request bodies itself.
  app.use("/api/troupe", registry.nodeHandler);
  return app;
}

/** Serves the app on `port` (0 picks a free one); `close` stops it and saves every actor. */
export async function start(port: number) {
  const app = createApp();
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(port, "127.0.0.1", () => resolve(s));
  });
  const sockets = await registry.attach(server);
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await registry.shutdown();
    },
  };
}
