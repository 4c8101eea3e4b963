// Alarms in a cluster fire exactly once, on whichever node holds (or claims) the actor: those of
// sleeping actors, and those of the actors of a node killed with kill -9, once its lease lapsed.

import { expect, test } from "vitest";
import { usePostgres } from "../support/postgres.ts";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";
import { LEASE_MS, type Node, startNode, stopNodes } from "./cluster-support.ts";

const postgres = usePostgres();

async function startCluster(names: string[]): Promise<{ nodes: Node[]; schema: string }> {
  const schema = postgres.server.newSchema();
  const url = postgres.server.urlFor(schema);
  const cwd = tempDir("troupe-cluster-");
  const first = await startNode(names[0]!, url, cwd);
  const rest = await Promise.all(names.slice(1).map((name) => startNode(name, url, cwd)));
  return { nodes: [first, ...rest], schema };
}

async function storedAlarms(schema: string): Promise<number> {
  const { rows } = await postgres.server.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".alarms`);
  return rows[0]!.n;
}

test("the schedules of sleeping actors and of a killed node's actors each fire once, on a live node", async () => {
  const { nodes, schema } = await startCluster(["a", "b", "c"]);
  try {
    const [victim, ...survivors] = nodes as [Node, ...Node[]];
    // Sleeping actors: created through every node, asleep (and holding no lease) when they fire.
    const asleep = ["s0", "s1", "s2", "s3", "s4", "s5"];
    await Promise.all(asleep.map((key, i) => nodes[i % 3]!.client.history.getOrCreate([key]).scheduleFire(800, key)));
    // The victim's actors: created through it, so it holds them, and killed while they are awake.
    const orphaned = ["v0", "v1", "v2", "v3"];
    const scheduledBy = await Promise.all(orphaned.map((key) => victim.client.history.getOrCreate([key]).scheduleFire(LEASE_MS / 2, key)));
    expect(scheduledBy).toEqual(orphaned.map(() => "a"));
    victim.up = false;
    victim.cli.child.kill("SIGKILL");

    await until("every schedule fired", async () => (await storedAlarms(schema)) === 0, { timeout: LEASE_MS * 4 + 5_000 });
    for (const key of [...asleep, ...orphaned]) {
      const fired = await survivors[0]!.client.history.getOrCreate([key]).fired();
      expect(
        fired.map(([tag]) => tag),
        key,
      ).toEqual([key]);
      if (orphaned.includes(key)) expect(fired[0]![1], `${key} fired on a live node`).not.toBe("a");
    }
  } finally {
    await stopNodes(nodes);
  }
}, 60_000);
