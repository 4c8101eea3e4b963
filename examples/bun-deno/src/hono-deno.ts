// `deno run -A src/hono-deno.ts`: a Hono app on Deno with the registry under /api/troupe,
// WebSockets through hono/deno's helper. PORT picks the port (0: any free one).

import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import { registry } from "./registry.ts";

declare const Deno: {
  serve(options: { port: number; hostname: string; onListen(address: { port: number }): void }, handler: Hono["fetch"]): unknown;
};

const app = new Hono();
app.get("/hello", (c) => c.text("Hello from the app"));
app.all("/api/troupe/*", registry.honoHandler(upgradeWebSocket));

Deno.serve(
  {
    port: Number(process.env.PORT ?? 3000),
    hostname: "127.0.0.1",
    onListen: ({ port }) => console.log(`Troupe on http://127.0.0.1:${port}/api/troupe`),
  },
  app.fetch,
);
