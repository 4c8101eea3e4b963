// Operating a cluster: a rolling restart (each node drained by SIGTERM and replaced) while
// clients keep calling, and `troupe cluster status` along the way.

import { expect, test } from "vitest";
import { CliProcess } from "../cli/cli-process.ts";
import { usePostgres } from "../support/postgres.ts";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";
import { checkHistory, readLogs, startCluster, startLoad, startNode, stopNodes } from "./cluster-support.ts";

const postgres = usePostgres();
const KEYS = ["r0", "r1", "r2", "r3", "r4", "r5"];

async function clusterStatus(url: string, cwd: string, ...args: string[]): Promise<string> {
  await using cli = new CliProcess(["cluster", "status", "--storage", url, ...args], cwd);
  expect(await cli.exited, cli.output.join("\n")).toBe(0);
  return cli.output.join("\n");
}

test("rolling restart under load: every node drained by SIGTERM and replaced, no call fails but documented retries, every write kept", async () => {
  const cwd = tempDir("troupe-cluster-");
  // Nothing here waits for a lease to lapse: a long one keeps a starved machine from fencing a node.
  const env = { TROUPE_CLUSTER_LEASE_MS: "10000" };
  const { nodes, url } = await startCluster(postgres.server, ["a", "b"], cwd, env);
  try {
    const load = startLoad(nodes, KEYS, 3);
    await until("every key written", () => KEYS.every((key) => load.attempts.some((a) => a.key === key && a.acked)), { timeout: 15_000 });

    const [status, asJson] = await Promise.all([clusterStatus(url, cwd), clusterStatus(url, cwd, "--json")]);
    expect(status).toMatch(/^2 live nodes; \d+ actors? running of 6/);
    for (const node of nodes) expect(status).toContain(node.url);
    const json = JSON.parse(asJson) as { nodes: Array<{ address: string; actors: number }> };
    expect(json.nodes.map((node) => node.address).sort()).toEqual(nodes.map((node) => node.url).sort());

    for (const [i, old] of [...nodes].entries()) {
      // As a load balancer would: no new calls to the node being replaced, and its calls answered first.
      old.up = false;
      await until(`the calls through ${old.name} answered`, () => load.pending(old) === 0, { timeout: 10_000 });
      old.cli.child.kill("SIGTERM");
      // Its replacement starts while it drains, as a deploy would start the new version.
      const [code, replacement] = await Promise.all([old.cli.exited, startNode(`${old.name}${i + 2}`, url, cwd, env)]);
      expect(code, old.cli.output.join("\n")).toBe(0);
      nodes.push(replacement);
      const since = performance.now();
      await until("writes through the new node", () => load.attempts.some((a) => a.node === replacement.name && a.acked && a.at! > since), {
        timeout: 10_000,
      });
    }
    const attempts = await load.stop();
    // A node that left is still remembered by the others for at most a third of a lease: calls
    // forwarded to it meanwhile fail with the documented, retryable cluster.owner_unreachable, and
    // calls it had taken as it left with cluster.owned_elsewhere (docs/cluster.md); the next call
    // goes to the actor's new node. Nothing else may fail.
    const retryable = new Set(["cluster.owner_unreachable", "cluster.owned_elsewhere"]);
    const failed = attempts.filter((a) => !a.acked && !retryable.has(a.error ?? ""));
    expect(failed, "calls that failed during the rolling restart").toEqual([]);
    expect(checkHistory(attempts, await readLogs(nodes.at(-1)!, KEYS))).toEqual([]);

    const after = await clusterStatus(url, cwd);
    expect(after).toMatch(/^2 live nodes/);
    expect(after).not.toContain("expired");
  } finally {
    await stopNodes(nodes);
  }
}, 60_000);

test("troupe cluster status --help, and what it says without PostgreSQL", async () => {
  const cwd = tempDir("troupe-cluster-");
  await using help = new CliProcess(["cluster", "--help"], cwd);
  expect(await help.exited).toBe(0);
  expect(help.output.join("\n")).toContain("Usage: troupe cluster status [options]");
  await using missing = new CliProcess(["cluster", "status"], cwd, { TROUPE_STORAGE_URL: "" });
  expect(await missing.exited).toBe(1);
  expect(missing.output.join("\n")).toContain("needs the cluster's PostgreSQL");
  await using unknown = new CliProcess(["cluster", "list"], cwd);
  expect(await unknown.exited).toBe(1);
  expect(unknown.output.join("\n")).toContain('Unknown subcommand "list"');
});
