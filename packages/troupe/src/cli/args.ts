// Command-line arguments of `troupe dev` and `troupe start`, with their help texts.

import { parseArgs } from "node:util";
import { parseStorageUrl } from "../runtime/storage-config.ts";
import { DEFAULT_HOST } from "../server/node/serve.ts";
import { DEFAULT_PORT } from "../server/options.ts";

export interface ServeArgs {
  file: string | undefined;
  host: string;
  port: number;
  /** `--storage` or TROUPE_STORAGE_URL, checked; the registry reads it from TROUPE_STORAGE_URL. */
  storage: string | undefined;
  /** `--cluster-lease` and `--cluster-address`, passed to the registry through the environment. */
  clusterLease?: string | undefined;
  clusterAddress?: string | undefined;
}

export const USAGE = `Usage: troupe <command> [options]

Commands:
  dev [file]     Serve the registry in <file> and reload it when a source file changes
  start [file]   Serve the registry in <file>
  init <dir>     Create a starter project in <dir>: registry, client, test, scripts
  cluster status Show the nodes of a cluster on PostgreSQL, their actors and leases

<file> is a module exporting \`registry\` (or a default export) made with setup();
TypeScript works without a build step once tsx is installed (npm install -D tsx).
Default: src/registry.ts, then registry.ts.

Run \`troupe <command> --help\` for the options of a command; \`troupe --version\` prints the version.
`;

export function commandUsage(command: "dev" | "start"): string {
  const what = command === "dev" ? "Serve a registry and reload it when its source files change." : "Serve a registry.";
  return `Usage: troupe ${command} [file] [options]

${what}
On SIGINT or SIGTERM it stops accepting, lets in-flight actions finish, saves every actor
and closes connections with a reason.

The inspector (a dashboard at /inspector/, and its API) is on when TROUPE_INSPECTOR_TOKEN or
setup({ inspector: { token } }) gives it a token${command === "dev" ? `; when neither does, troupe dev makes one up and prints\nthe dashboard's link with it` : ""}.
${
  command === "dev"
    ? `Metrics (/metrics, Prometheus) are on, without a token unless TROUPE_METRICS_TOKEN sets one.
Logs are coloured lines at info level (TROUPE_LOG_LEVEL=debug shows each actor's wake, sleep
and commits; TROUPE_LOG_FORMAT=json prints JSON lines instead).`
    : `Metrics (/metrics, Prometheus) are off unless TROUPE_METRICS_TOKEN sets a bearer token for
them (or TROUPE_METRICS=1 serves them without one, for a network only the scraper reaches).
Logs are JSON lines at warn level (TROUPE_LOG_LEVEL=info|debug for more; TROUPE_LOG_FORMAT=pretty
for coloured lines).`
}

Options:
  --host <host>   Interface to listen on (env TROUPE_HOST, default ${DEFAULT_HOST})
  --port <port>   Port to listen on, 0 for any free port (env TROUPE_PORT, default ${DEFAULT_PORT})
  --storage <url> Where actors keep their data, when the registry's setup() names no storage
                  (env TROUPE_STORAGE_URL, default SQLite at .troupe/troupe.db):
                    postgres://user:password@host:5432/db   PostgreSQL; ?schema=name picks the
                                                            schema (default troupe)
                    sqlite:./data/troupe.db or a plain path  a SQLite file
                  With PostgreSQL, start runs as a node of a cluster (docs/cluster.md):
  --cluster-lease <ms>    How long a node's lease lasts without renewal
                          (env TROUPE_CLUSTER_LEASE_MS, default 10000)
  --cluster-address <url> The URL other nodes reach this one at (env TROUPE_CLUSTER_ADDRESS,
                          default the address it listens on)
  -h, --help      Show this help
`;
}

/** Parses the options after the command; throws an Error with a readable message on bad input. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): ServeArgs | "help" {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      storage: { type: "string" },
      "cluster-lease": { type: "string" },
      "cluster-address": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  if (positionals.length > 1) throw new Error(`Expected at most one file, got ${positionals.join(" ")}.`);
  const portText = values.port ?? env.TROUPE_PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`Invalid port "${portText}": use a whole number from 0 to 65535.`);
  const storage = values.storage ?? env.TROUPE_STORAGE_URL;
  // Checked now, so that a mistyped URL fails with the usage rather than at the first request.
  if (storage !== undefined) parseStorageUrl(storage);
  const clusterLease = values["cluster-lease"];
  if (clusterLease !== undefined && !/^\d+$/.test(clusterLease)) {
    throw new Error(`Invalid --cluster-lease "${clusterLease}": use a whole number of milliseconds.`);
  }
  return {
    file: positionals[0],
    host: values.host ?? env.TROUPE_HOST ?? DEFAULT_HOST,
    port,
    storage,
    clusterLease,
    clusterAddress: values["cluster-address"],
  };
}
