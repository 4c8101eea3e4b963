// Three nodes on one PostgreSQL, clients spread over them, under faults: every acknowledged write
// lands exactly once and no two instances of an actor ever write in turns (cluster-support.ts,
// checkHistory), across a kill -9 of an actor's node and a node paused past its lease.

import { expect, test } from "vitest";
import { usePostgres } from "../support/postgres.ts";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";
import { checkHistory, LEASE_MS, type Node, ownerOf, readLogs, startLoad, startNode, stopNodes } from "./cluster-support.ts";

const postgres = usePostgres();
const KEYS = ["k0", "k1", "k2", "k3", "k4", "k5"];

async function startCluster(names: string[]): Promise<{ nodes: Node[]; schema: string }> {
  const schema = postgres.server.newSchema();
  const url = postgres.server.urlFor(schema);
  const cwd = tempDir("troupe-cluster-");
  // The first node migrates the schema alone; the others join it.
  const first = await startNode(names[0]!, url, cwd);
  const rest = await Promise.all(names.slice(1).map((name) => startNode(name, url, cwd)));
  return { nodes: [first, ...rest], schema };
}

/** Acknowledged appends to `key` made after `since` (performance.now()). */
function ackedAfter(load: ReturnType<typeof startLoad>, key: string, since: number) {
  return load.attempts.filter((a) => a.key === key && a.acked && (a.at ?? 0) > since);
}

test("kill -9 of an actor's node under load: another node serves it within the lease + 1 s, with every acknowledged write", async () => {
  const { nodes } = await startCluster(["a", "b", "c"]);
  try {
    const load = startLoad(nodes, KEYS, 6);
    await until("every key written through every node", () => KEYS.every((key) => ackedAfter(load, key, 0).length >= 3), {
      timeout: 15_000,
    });
    const victimName = await ownerOf(nodes[0]!, "k0");
    const victim = nodes.find((node) => node.name === victimName)!;
    victim.up = false;
    const killedAt = performance.now();
    victim.cli.child.kill("SIGKILL");
    await until("k0 served again", () => ackedAfter(load, "k0", killedAt).length > 0, { timeout: LEASE_MS + 5_000 });
    const recovered = ackedAfter(load, "k0", killedAt)[0]!.at! - killedAt;
    // Keep the load going a little on the survivors, then judge the whole history.
    await until("more writes after the failover", () => ackedAfter(load, "k0", killedAt).length >= 5, { timeout: 10_000 });
    const attempts = await load.stop();
    const survivor = nodes.find((node) => node.up)!;
    expect(await ownerOf(survivor, "k0")).not.toBe(victimName);
    expect(checkHistory(attempts, await readLogs(survivor, KEYS))).toEqual([]);
    expect(recovered, `k0 served again ${Math.round(recovered)} ms after the kill`).toBeLessThan(LEASE_MS + 1_000);
    expect(attempts.filter((a) => a.acked).length).toBeGreaterThan(50);
  } finally {
    await stopNodes(nodes);
  }
}, 60_000);

test("a node paused past its lease is fenced when it resumes: it stops its stale actors, and no two instances write", async () => {
  const { nodes } = await startCluster(["a", "b", "c"]);
  try {
    const load = startLoad(nodes, KEYS, 6);
    await until("every key written", () => KEYS.every((key) => ackedAfter(load, key, 0).length >= 3), { timeout: 15_000 });
    const pausedName = await ownerOf(nodes[0]!, "k0");
    const paused = nodes.find((node) => node.name === pausedName)!;
    paused.up = false;
    const from = paused.cli.output.length;
    const stoppedAt = performance.now();
    paused.cli.child.kill("SIGSTOP");
    await until("k0 served by another node", () => ackedAfter(load, "k0", stoppedAt).length > 0, { timeout: LEASE_MS + 5_000 });
    // Past the lease for sure, then the paused node resumes with its actors still in memory.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    paused.cli.child.kill("SIGCONT");
    const [line] = await paused.cli.waitFor(/cluster lease lost.*stopped (\d+) actors/, from);
    expect(Number(/stopped (\d+) actors/.exec(line ?? "")![1])).toBeGreaterThan(0);
    // It rejoined: the load uses it again, and it serves.
    paused.up = true;
    const resumedAt = performance.now();
    await until("writes through the resumed node", () => load.attempts.some((a) => a.node === pausedName && a.acked && a.at! > resumedAt), {
      timeout: 10_000,
    });
    const attempts = await load.stop();
    expect(checkHistory(attempts, await readLogs(nodes[0]!, KEYS))).toEqual([]);
  } finally {
    await stopNodes(nodes);
  }
}, 60_000);
