// Three nodes on one PostgreSQL, clients spread over them, through two faults in a row: kill -9 of
// an actor's node, then a node paused (SIGSTOP) past its lease and resumed. Every acknowledged
// write lands exactly once and no two instances of an actor ever write in turns (checkHistory);
// schedules of sleeping actors and of the killed node's actors fire once, on a live node.

import { expect, test } from "vitest";
import { usePostgres } from "../support/postgres.ts";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";
import { checkHistory, LEASE_MS, ownerOf, readLogs, retried, startCluster, startLoad, stopNodes } from "./cluster-support.ts";

const postgres = usePostgres();
const KEYS = ["k0", "k1", "k2", "k3", "k4", "k5"];

async function storedAlarms(schema: string): Promise<number> {
  const { rows } = await postgres.server.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".alarms`);
  return rows[0]!.n;
}

test("kill -9 and a pause past the lease under load: served again within the lease + 1 s, fenced on resume, schedules fire once, every acknowledged write kept once", async () => {
  // Actors stay awake between calls however slow the machine: they move only when their node fails.
  const { nodes, schema } = await startCluster(postgres.server, ["a", "b", "c"], tempDir("troupe-cluster-"), {
    TEST_SLEEP_MS: "10000",
    TROUPE_LOG_LEVEL: "info",
  });
  const ackedAfter = (key: string, since: number) => load.attempts.filter((a) => a.key === key && a.acked && a.at! > since);
  const byName = (name: string) => nodes.find((node) => node.name === name)!;
  const load = startLoad(nodes, KEYS, 6);
  try {
    await until("every key written through every node", () => KEYS.every((key) => ackedAfter(key, 0).length >= 3), { timeout: 15_000 });

    // Schedules of sleeping actors (holding no lease when they come due), made through every node.
    const asleep = ["s0", "s1", "s2", "s3", "s4", "s5"];
    await Promise.all(asleep.map((key, i) => retried(() => nodes[i % 3]!.client.history.getOrCreate([key]).scheduleFire(800, key, true))));

    // kill -9 of k0's node, just after it took schedules of actors it runs: due after the kill
    // (by a margin a loaded machine keeps) and after its lease has lapsed.
    const victim = byName(await ownerOf(nodes[0]!, "k0"));
    const orphaned = ["v0", "v1", "v2"];
    const scheduledOn = await Promise.all(
      orphaned.map((key) => retried(() => victim.client.history.getOrCreate([key]).scheduleFire(LEASE_MS * 2, key))),
    );
    expect(scheduledOn).toEqual(orphaned.map(() => victim.name));
    victim.up = false;
    const killedAt = performance.now();
    victim.cli.child.kill("SIGKILL");
    await until("k0 served again", () => ackedAfter("k0", killedAt).length > 0, { timeout: LEASE_MS + 5_000 });
    const recovered = ackedAfter("k0", killedAt)[0]!.at! - killedAt;
    expect(recovered, `k0 served again ${Math.round(recovered)} ms after the kill`).toBeLessThan(LEASE_MS + 1_000);

    await until("every schedule fired", async () => (await storedAlarms(schema)) === 0, { timeout: LEASE_MS * 4 + 5_000 });
    const survivor = nodes.find((node) => node.up)!;
    for (const key of [...asleep, ...orphaned]) {
      const fired = await survivor.client.history.getOrCreate([key]).fired();
      expect(
        fired.map(([tag]) => tag),
        `${key} fired once`,
      ).toEqual([key]);
      if (orphaned.includes(key)) expect(fired[0]![1], `${key} fired on a live node`).not.toBe(victim.name);
    }

    // SIGSTOP of k0's new node past its lease, then SIGCONT: its actors are still in its memory.
    const paused = byName(await ownerOf(survivor, "k0"));
    const from = paused.cli.output.length;
    paused.up = false;
    const stoppedAt = performance.now();
    paused.cli.child.kill("SIGSTOP");
    await until("k0 served by the other node", () => ackedAfter("k0", stoppedAt).length > 0, { timeout: LEASE_MS + 5_000 });
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    paused.cli.child.kill("SIGCONT");
    const match = await paused.cli.waitFor(/cluster lease lost.*stopped (\d+) actors/, from);
    expect(Number(match[1]), "stale actors the resumed node stopped").toBeGreaterThan(0);
    // It rejoined as a new node: the load uses it again, and it serves.
    paused.up = true;
    const resumedAt = performance.now();
    await until(
      "writes through the resumed node",
      () => load.attempts.some((a) => a.node === paused.name && a.acked && a.at! > resumedAt),
      {
        timeout: 10_000,
        detail: () => {
          const through = load.attempts.filter((a) => a.node === paused.name && a.done);
          const errors = through.slice(-8).map((a) => a.error ?? "acked");
          return `last calls through ${paused.name}: ${errors.join(", ")}; its output since the pause:\n${paused.cli.output.slice(from).join("\n")}`;
        },
      },
    );

    const attempts = await load.stop();
    expect(checkHistory(attempts, await readLogs(survivor, KEYS))).toEqual([]);
    expect(attempts.filter((a) => a.acked).length).toBeGreaterThan(50);
  } finally {
    await load.stop();
    await stopNodes(nodes);
  }
}, 90_000);
