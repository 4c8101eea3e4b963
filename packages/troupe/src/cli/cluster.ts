// `troupe cluster status`: the nodes of a cluster as its PostgreSQL sees them, with their addresses,
// the actors each runs and how much of its lease is left.

import { parseArgs } from "node:util";
import { readClusterStatus } from "../runtime/cluster-status.ts";
import type { ClusterStatus } from "../storage/cluster-store.ts";

export const CLUSTER_USAGE = `Usage: troupe cluster status [options]

Shows the nodes of a cluster (servers sharing one PostgreSQL, docs/cluster.md): each node's
address, whether it is live, draining or expired, how much of its lease is left, and how many
actors it runs; then the totals.

Options:
  --storage <url>  The cluster's PostgreSQL, postgres://user:password@host:5432/db[?schema=name]
                   (env TROUPE_STORAGE_URL)
  --json           Print the status as JSON
  -h, --help       Show this help
`;

export async function runCluster(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values: { storage?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { storage: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${CLUSTER_USAGE}`);
    return 1;
  }
  if (values.help) {
    console.log(CLUSTER_USAGE);
    return 0;
  }
  if (positionals[0] !== "status" || positionals.length > 1) {
    console.error(
      `${positionals.length === 0 ? "Missing subcommand." : `Unknown subcommand "${positionals.join(" ")}".`}\n\n${CLUSTER_USAGE}`,
    );
    return 1;
  }
  const url = values.storage ?? env.TROUPE_STORAGE_URL;
  if (url === undefined || !/^postgres(ql)?:\/\//i.test(url)) {
    console.error(
      `troupe cluster status needs the cluster's PostgreSQL: --storage postgres://... or TROUPE_STORAGE_URL.\n\n${CLUSTER_USAGE}`,
    );
    return 1;
  }
  let status: ClusterStatus;
  try {
    status = await readClusterStatus(url);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status));
  return 0;
}

export function formatStatus(status: ClusterStatus): string {
  const live = status.nodes.filter((node) => node.remainingMs > 0);
  const orphaned = status.leases - live.reduce((sum, node) => sum + node.actors, 0);
  const lines = [
    `${live.length} live node${live.length === 1 ? "" : "s"}; ${status.leases} actor${status.leases === 1 ? "" : "s"} running of ${status.actors}; ${status.dueAlarms} alarm${status.dueAlarms === 1 ? "" : "s"} due`,
  ];
  if (orphaned > 0)
    lines.push(`${orphaned} actor lease${orphaned === 1 ? "" : "s"} held by expired nodes (taken over on their next call or alarm)`);
  if (status.nodes.length === 0) return lines.join("\n");
  const rows = [["NODE", "ADDRESS", "STATE", "LEASE LEFT", "ACTORS", "STARTED"]];
  for (const node of status.nodes) {
    const state = node.remainingMs <= 0 ? "expired" : node.draining ? "draining" : "live";
    const left = node.remainingMs <= 0 ? `-${(-node.remainingMs / 1000).toFixed(1)} s` : `${(node.remainingMs / 1000).toFixed(1)} s`;
    rows.push([node.id, node.address, state, left, String(node.actors), node.startedAt.toISOString()]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  lines.push(
    "",
    ...rows.map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    ),
  );
  return lines.join("\n");
}
