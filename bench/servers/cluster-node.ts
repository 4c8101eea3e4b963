// A node of a Troupe cluster: the bench actors served with PostgreSQL storage in the schema
// BENCH_SCHEMA of DATABASE_URL, with the lease BENCH_LEASE_MS. Killed with SIGKILL by the
// failover measurement, or closed (drained) when its stdin ends.

import { setup } from "troupe";
import { definitions } from "../lib/actors.ts";
import { postgresUrl } from "../lib/storage.ts";
import { serveCommands } from "./serve-commands.ts";

const registry = setup({
  use: definitions,
  storage: { driver: "postgres", url: postgresUrl(), schema: process.env.BENCH_SCHEMA },
  cluster: { leaseMs: Number(process.env.BENCH_LEASE_MS ?? 10_000) },
  limits: { actorCreatesPerMinute: Number.POSITIVE_INFINITY, inFlightPerClient: 100_000 },
});
const server = await registry.serve({ port: 0 });

serveCommands({ url: server.url, pid: process.pid }, {}, () => server.close());
