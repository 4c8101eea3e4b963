// `bun src/hono-bun.ts`: a Hono app on Bun with the registry under /api/troupe, WebSockets through
// hono/bun's helper. PORT picks the port (0: any free one).

import { Hono } from "hono";
import { upgradeWebSocket, websocket } from "hono/bun";
import { registry } from "./registry.ts";

declare const Bun: {
  serve(options: { port: number; hostname: string; fetch: Hono["fetch"]; websocket: typeof websocket }): {
    port: number;
    stop(): Promise<void>;
  };
};

const app = new Hono();
app.get("/hello", (c) => c.text("Hello from the app"));
app.all("/api/troupe/*", registry.honoHandler(upgradeWebSocket));

const server = Bun.serve({ port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", fetch: app.fetch, websocket });
console.log(`Troupe on http://127.0.0.1:${server.port}/api/troupe`);

process.on("SIGTERM", async () => {
  await server.stop();
  await registry.shutdown();
  process.exit(0);
});
