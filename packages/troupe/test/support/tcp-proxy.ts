// A TCP proxy for fault tests: it passes connections through to a target until told to cut them
// (every connection reset, new ones refused) or to stall them (bytes held back, connections open),
// then heals. It stands between one process and its database to partition them.

import { createServer, type Server, type Socket, connect } from "node:net";

export interface TcpProxy extends AsyncDisposable {
  readonly port: number;
  /** Resets every connection and refuses new ones until `heal`. */
  cut(): void;
  /** Holds back every byte, both ways, on every connection (old and new) until `heal`. */
  stall(): void;
  heal(): void;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: "pass" | "cut" | "stall" = "pass";
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((client) => {
    if (mode === "cut") {
      client.destroy();
      return;
    }
    const upstream = connect({ host: targetHost, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    if (mode === "stall") {
      client.pause();
      upstream.pause();
    }
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy has no port");
  return {
    port: address.port,
    cut() {
      mode = "cut";
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
    },
    stall() {
      mode = "stall";
      for (const [client, upstream] of pairs) {
        // Unpiped as well as paused: a paused socket still hands what it has buffered to a pipe.
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    heal() {
      if (mode === "stall") {
        for (const [client, upstream] of pairs) {
          client.pipe(upstream);
          upstream.pipe(client);
          client.resume();
          upstream.resume();
        }
      }
      mode = "pass";
    },
    async [Symbol.asyncDispose]() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
