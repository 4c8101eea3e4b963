// `bun src/bun.ts`: Bun's own server, with WebSockets upgraded by registry.handler (given Bun's
// server) and carried by registry.websocket. PORT picks the port (0: any free one).

import { registry } from "./registry.ts";

declare const Bun: {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request, server: unknown) => Promise<Response>;
    websocket: typeof registry.websocket;
  }): { port: number; stop(): Promise<void> };
};

const server = Bun.serve({
  port: Number(process.env.PORT ?? 3000),
  hostname: "127.0.0.1",
  fetch: registry.handler,
  websocket: registry.websocket,
});
console.log(`Troupe on http://127.0.0.1:${server.port}/api/troupe`);

process.on("SIGTERM", async () => {
  await server.stop();
  await registry.shutdown();
  process.exit(0);
});
