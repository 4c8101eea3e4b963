// Troupe served over HTTP + WebSocket (registry.serve) on a loopback port, SQLite in a temp dir.
// Command "sleep" puts every live actor to sleep.

import { setup } from "troupe";
import { definitions } from "../lib/actors.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { serveCommands } from "./serve-commands.ts";

const dir = tempDir();
const registry = setup({ use: definitions, storage: { driver: "sqlite", path: dir.file("troupe.db") } });
const server = await registry.serve({ port: 0 });

serveCommands(
  { url: server.url },
  {
    sleep: async () => {
      const { host } = registry.runtime();
      await Promise.all([...host.instances.values()].map((instance) => instance.stop("sleep")));
      return { awake: host.instances.size };
    },
  },
  async () => {
    await server.close();
    dir[Symbol.dispose]();
  },
);
