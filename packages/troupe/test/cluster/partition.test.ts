// A node partitioned from PostgreSQL (a TCP proxy between them cuts, then stalls, the connection)
// fences itself before its lease lapses, the other nodes take its actors over, and once healed it
// rejoins and serves again; through it all, no acknowledged write is lost or doubled.

import { expect, test } from "vitest";
import { usePostgres } from "../support/postgres.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";
import { checkHistory, LEASE_MS, type Node, ownerOf, readLogs, startLoad, startNode, stopNodes } from "./cluster-support.ts";

const postgres = usePostgres();
const KEYS = ["p0", "p1", "p2", "p3", "p4", "p5"];
/** Beyond what the leases take: three nodes, PostgreSQL and the load share a loaded machine's cores. */
const SLOW_MACHINE_MS = 12_000;

test("a node cut off from PostgreSQL, then stalled, fences itself; the others serve its actors; healed, it serves again", async () => {
  const schema = postgres.server.newSchema();
  const direct = new URL(postgres.server.urlFor(schema));
  await using proxy = await startTcpProxy(direct.hostname, Number(direct.port || 5432));
  const proxied = new URL(direct);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  const cwd = tempDir("troupe-cluster-");
  // Actors stay awake between calls however slow the machine: they move only when x is cut off.
  const env = { TEST_SLEEP_MS: "10000" };
  const nodes: Node[] = [await startNode("a", direct.href, cwd, env)];
  nodes.push(...(await Promise.all([startNode("b", direct.href, cwd, env), startNode("x", proxied.href, cwd, env)])));
  const x = nodes[2]!;
  try {
    // x creates every actor, and the load that follows at once keeps them awake there.
    await Promise.all(KEYS.map((key) => x.client.history.getOrCreate([key]).append(`created-${key}`)));
    const load = startLoad(nodes, KEYS, 4);
    await until("every key written", () => KEYS.every((key) => load.attempts.some((a) => a.key === key && a.acked)), { timeout: 15_000 });
    const owners = await Promise.all(KEYS.map((key) => ownerOf(nodes[0]!, key)));
    const held = owners.filter((owner) => owner === "x").length;
    expect(held, "actors x runs when it is cut off").toBeGreaterThan(0);

    for (const fault of ["cut", "stall"] as const) {
      const from = x.cli.output.length;
      x.up = false;
      const since = performance.now();
      proxy[fault]();
      const [line] = await x.cli.waitFor(
        /cluster lease lost: it could not renew its lease in time; stopped (\d+) actors/,
        from,
        LEASE_MS * 4 + SLOW_MACHINE_MS,
      );
      expect(line, `x fenced itself (${fault})`).toBeDefined();
      await until(
        `every key served again without x (${fault})`,
        () => KEYS.every((key) => load.attempts.some((a) => a.key === key && a.acked && a.at! > since && a.node !== "x")),
        { timeout: LEASE_MS * 4 + SLOW_MACHINE_MS },
      );
      proxy.heal();
      x.up = true;
      const healed = performance.now();
      await until(`writes through x once healed (${fault})`, () => load.attempts.some((a) => a.node === "x" && a.acked && a.at! > healed), {
        timeout: LEASE_MS * 6 + SLOW_MACHINE_MS,
        detail: () =>
          `${JSON.stringify(load.attempts.filter((a) => a.node === "x").slice(-2))}\nx said:\n${x.cli.output.slice(-30).join("\n")}`,
      });
    }
    const attempts = await load.stop();
    // What failed while x was cut off failed with a typed error saying to retry, never an internal one.
    const untyped = attempts.filter((a) => a.error !== undefined && !/^(cluster|storage)\.|^no answer within/.test(a.error));
    expect(untyped.map((a) => `${a.node}: ${a.error}`)).toEqual([]);
    // The checker counts the appends made before the load as unknown: add them as tried and acknowledged at 1.
    const created = KEYS.map((key) => ({ key, op: `created-${key}`, node: "x", acked: true, length: 1 }));
    expect(checkHistory([...created, ...attempts], await readLogs(nodes[0]!, KEYS))).toEqual([]);
  } finally {
    await stopNodes(nodes);
  }
}, 150_000);
