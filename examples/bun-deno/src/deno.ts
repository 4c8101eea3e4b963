// `deno run -A src/deno.ts`: Deno's own server; registry.handler upgrades WebSockets itself there.
// PORT picks the port (0: any free one).

import { registry } from "./registry.ts";

declare const Deno: {
  serve(
    options: { port: number; hostname: string; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: "SIGTERM", listener: () => void): void;
  exit(code: number): never;
};

const server = Deno.serve(
  {
    port: Number(process.env.PORT ?? 3000),
    hostname: "127.0.0.1",
    onListen: ({ port }) => console.log(`Troupe on http://127.0.0.1:${port}/api/troupe`),
  },
  registry.handler,
);

Deno.addSignalListener("SIGTERM", async () => {
  await server.shutdown();
  await registry.shutdown();
  Deno.exit(0);
});
