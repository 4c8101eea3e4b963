// `c.db` when its owner node is killed (-9): every SQL write it acknowledged is in the database the
// next owner rebuilds from PostgreSQL, and that database is whole (integrity_check).

import { expect, test } from "vitest";
import { usePostgres } from "../support/postgres.ts";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";
import { LEASE_MS, startCluster, stopNodes } from "./cluster-support.ts";

const postgres = usePostgres();

test("kill -9 of a database's owner: the next owner has every acknowledged SQL write, in a whole database", async () => {
  const dir = tempDir("troupe-cluster-db-");
  // The nodes keep their copies of the databases under TMPDIR: the killed one cannot remove its own.
  const { nodes } = await startCluster(postgres.server, ["a", "b"], dir, { TEST_SLEEP_MS: "10000", TMPDIR: dir });
  try {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const onA = a.client.notebook.getOrCreate(["n"]);
    expect(await onA.node()).toBe("a");
    const acknowledged: string[] = [];
    for (let i = 0; i < 20; i++) {
      await onA.add(`note ${i}`);
      acknowledged.push(`note ${i}`);
    }
    a.up = false;
    a.cli.child.kill("SIGKILL");
    const onB = b.client.notebook.getOrCreate(["n"]);
    // Until a's lease lapses, b forwards to a, which no longer answers.
    await until(
      "b serves the notebook",
      () =>
        onB.node().then(
          (node) => node === "b",
          () => false,
        ),
      { timeout: LEASE_MS * 4 + 5_000 },
    );
    expect(await onB.bodies()).toEqual(acknowledged);
    expect(await onB.check()).toBe("ok");
    await onB.add("after the kill");
    expect((await onB.bodies()).at(-1)).toBe("after the kill");
  } finally {
    await stopNodes(nodes);
  }
});
