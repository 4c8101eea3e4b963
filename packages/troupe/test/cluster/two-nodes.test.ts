// Two nodes in this process, step by step. Fencing: a node whose lease lapsed (here: made to lapse
// in the table, as a pause would) has its next write rejected with `actor.fenced` by the epoch
// check in the commit, stops that instance, then finds its lease gone and rejoins. And the
// in-process client (`c.client()`) of one node reaching an actor the other runs.

import { expect, test } from "vitest";
import { actor, setup } from "../../src/index.ts";
import { usePostgres } from "../support/postgres.ts";
import { twoNodes } from "./two-nodes-in-process.ts";
import { until } from "../support/until.ts";

const postgres = usePostgres();

/** Stays awake between the test's calls (the default sleepTimeout). */
const ledger = actor({
  state: { log: [] as string[] },
  actions: {
    append: (c, op: string) => c.state.log.push(op),
    log: (c) => c.state.log,
  },
});

/** What the relay's client is typed with: the ledger is all it calls. */
const ledgers = setup({ use: { ledger } });

/** Calls a ledger through the in-process client, wherever that ledger runs. */
const relay = actor({
  state: {},
  actions: {
    append: async (c, key: string, op: string) => c.client<typeof ledgers>().ledger.getOrCreate([key]).append(op),
    listen: async (c, key: string) => {
      const conn = c.client<typeof ledgers>().ledger.getOrCreate([key]).connect();
      try {
        return await conn.log();
      } finally {
        await conn.dispose();
      }
    },
  },
});

function node(url: string) {
  return setup({
    use: { ledger, relay },
    storage: { driver: "postgres", url },
    cluster: { leaseMs: 60_000 },
    logging: { level: "silent" },
  });
}

test("a write from a node whose lease lapsed is rejected with actor.fenced and never applied", async () => {
  await using nodes = await twoNodes(postgres.server, node);
  const { schema, a, viaA, viaB } = nodes;
  const handle = viaA.ledger.getOrCreate(["fenced"]);
  expect(await handle.append("first")).toBe(1);
  const { rows } = await postgres.server.query<{ address: string }>(
    `SELECT n.address FROM "${schema}".leases l JOIN "${schema}".nodes n ON n.id = l.node_id`,
  );
  expect(rows).toEqual([{ address: a.url }]);

  // A's lease lapses while A does not know it yet: B takes the actor over and writes.
  await postgres.server.query(`UPDATE "${schema}".nodes SET expires_at = now() - interval '1 second' WHERE address = $1`, [a.url]);
  const viaBHandle = viaB.ledger.getOrCreate(["fenced"]);
  expect(await viaBHandle.append("second")).toBe(2);

  // A still runs its instance: its write is fenced by the epoch check, not applied.
  const late = await handle.append("late").then(
    () => "acknowledged",
    (error: { group?: string; code?: string }) => `${error.group}.${error.code}`,
  );
  expect(late).toBe("actor.fenced");
  // A's next call finds its lease lapsed: it fences itself, rejoins, and forwards to B.
  await expect(handle.append("retry")).rejects.toMatchObject({ group: "cluster", code: "lease_lost" });
  await until("A rejoined", async () => {
    const live = await postgres.server.query(`SELECT 1 FROM "${schema}".nodes WHERE address = $1 AND expires_at > now()`, [a.url]);
    return live.rowCount === 1;
  });
  expect(await handle.append("after")).toBe(3);
  expect(await viaBHandle.log()).toEqual(["first", "second", "after"]);
});

test("c.client() reaches an actor that another node runs, by a call or a connection", async () => {
  await using nodes = await twoNodes(postgres.server, node);
  const { a, b, viaA, viaB } = nodes;
  // The ledger runs on B (created there); the relay on A calls it.
  expect(await viaB.ledger.getOrCreate(["shared"]).append("from-b")).toBe(1);
  expect(await viaA.relay.getOrCreate(["r"]).append("shared", "from-a")).toBe(2);
  expect(await viaA.relay.getOrCreate(["r"]).listen("shared")).toEqual(["from-b", "from-a"]);
});

test("a connection by key through a node that does not run the actor is joined to the node that does", async () => {
  await using nodes = await twoNodes(postgres.server, node);
  const { schema, a, b, viaA, viaB } = nodes;
  const ownerOf = async (key: string) => {
    const { rows } = await postgres.server.query<{ address: string }>(
      `SELECT n.address FROM "${schema}".leases l JOIN "${schema}".nodes n ON n.id = l.node_id
       JOIN "${schema}".actors a ON a.id = l.actor_id WHERE a.key = $1`,
      [JSON.stringify([key])],
    );
    return rows.map((row) => row.address);
  };
  expect(await viaA.ledger.getOrCreate(["by-key"]).append("on-a")).toBe(1);
  const conn = viaB.ledger.getOrCreate(["by-key"]).connect();
  try {
    expect(await conn.append("through-b")).toBe(2);
    expect(await conn.log()).toEqual(["on-a", "through-b"]);
  } finally {
    await conn.dispose();
  }
  expect(await ownerOf("by-key")).toEqual([a.url]);

  // A key that no node stores yet: the node the connection reaches creates the actor and runs it.
  const fresh = viaB.ledger.getOrCreate(["new-by-key"]).connect();
  try {
    expect(await fresh.append("first")).toBe(1);
  } finally {
    await fresh.dispose();
  }
  expect(await ownerOf("new-by-key")).toEqual([b.url]);
});
