// The Troupe under test: a runtime in this process with its in-process client, or a server in a
// process of its own reached with troupe/client over HTTP and WebSocket.

import type { Client } from "troupe";
import { createClient } from "troupe/client";
import { openRuntime, type registry } from "./actors.ts";
import { startServer } from "./server-process.ts";
import type { TempDir } from "./temp-dir.ts";

export interface Subject extends AsyncDisposable {
  readonly client: Client<typeof registry>;
  /** Puts every live actor to sleep. */
  sleepAll(): Promise<void>;
  /** The server process's CPU time so far in µs; undefined in-process (client and actors share one). */
  serverCpuUs?(): Promise<number>;
}

export function inProcess(dir: TempDir): Subject {
  const runtime = openRuntime(dir.file("troupe.db"));
  const { host } = runtime;
  return {
    client: runtime.client,
    async sleepAll() {
      await Promise.all([...host.instances.values()].map((instance) => instance.stop("sleep")));
      if (host.instances.size > 0) throw new Error(`${host.instances.size} actors are still awake`);
    },
    [Symbol.asyncDispose]: () => runtime.shutdown(),
  };
}

export async function remote(encoding: "json" | "cbor"): Promise<Subject> {
  const server = await startServer("troupe-server.ts");
  const client = createClient<typeof registry>(String(server.info.url), { encoding });
  return {
    client,
    async sleepAll() {
      const reply = await server.command({ cmd: "sleep" });
      if (reply.awake !== 0) throw new Error(`${String(reply.awake)} actors are still awake`);
    },
    serverCpuUs: () => server.cpuUs(),
    async [Symbol.asyncDispose]() {
      await client.dispose();
      await server[Symbol.asyncDispose]();
    },
  };
}
