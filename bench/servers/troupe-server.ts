// Troupe served over HTTP + WebSocket (registry.serve) on a loopback port, SQLite in a temp dir.
// Command "sleep" puts every live actor to sleep.

import { setup } from "troupe";
import { definitions } from "../lib/actors.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { serveCommands } from "./serve-commands.ts";

const dir = tempDir();
// One client creates thousands of actors a minute here (cold_start, wake): not a client to limit.
const registry = setup({
  use: definitions,
  storage: { driver: "sqlite", path: dir.file("troupe.db") },
  limits: { actorCreatesPerMinute: Number.POSITIVE_INFINITY },
});
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
