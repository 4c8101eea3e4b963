// The inspector of any node of a cluster lists every actor, with the node that runs it: its own
// actors as running, those of another node as remote (with that node's address), the rest asleep.

import { expect, test } from "vitest";
import { actor, setup } from "../../src/index.ts";
import { usePostgres } from "../support/postgres.ts";
import { twoNodes } from "./two-nodes-in-process.ts";
import { until } from "../support/until.ts";

const postgres = usePostgres();
const TOKEN = "cluster-inspector-token-0123456789";

const room = actor({
  state: { visits: 0 },
  actions: {
    visit: (c) => ++c.state.visits,
    nap: (c) => c.sleep(),
  },
});

function node(url: string) {
  return setup({
    use: { room },
    storage: { driver: "postgres", url },
    cluster: { leaseMs: 60_000 },
    inspector: { token: TOKEN },
    logging: { level: "silent" },
  });
}

interface Summary {
  id: string;
  key: string[];
  status: string;
  node: { id: string; address: string; here: boolean } | null;
}

async function inspect<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}/inspector/v1${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status, `${path} answered`).toBe(200);
  return (await response.json()) as T;
}

test("each node's inspector lists the actors of every node, and which node runs each", async () => {
  await using nodes = await twoNodes(postgres.server, node);
  const { a, b, viaA, viaB } = nodes;
  await viaA.room.getOrCreate(["on-a"]).visit();
  await viaB.room.getOrCreate(["on-b"]).visit();
  await viaA.room.getOrCreate(["asleep"]).visit();
  await viaA.room.getOrCreate(["asleep"]).nap();
  const list = async (status: string) => {
    const { actors } = await inspect<{ actors: Summary[] }>(a.url, `/actors?status=${status}`);
    return Object.fromEntries(
      actors.map((s) => [s.key[0], { status: s.status, node: s.node && { address: s.node.address, here: s.node.here } }]),
    );
  };
  await until("the napping actor to sleep", async () => (await list("asleep")).asleep !== undefined);

  expect(await list("all")).toEqual({
    "on-a": { status: "running", node: { address: a.url, here: true } },
    "on-b": { status: "remote", node: { address: b.url, here: false } },
    asleep: { status: "asleep", node: null },
  });
  expect(Object.keys(await list("awake")).sort()).toEqual(["on-a", "on-b"]);
  expect(Object.keys(await list("asleep"))).toEqual(["asleep"]);

  const onB = await viaB.room.getOrCreate(["on-b"]).resolve();
  expect(await inspect<Summary>(a.url, `/actors/${onB}`)).toMatchObject({ status: "remote", node: { address: b.url, here: false } });
  expect(await inspect<Summary>(b.url, `/actors/${onB}`)).toMatchObject({ status: "running", node: { address: b.url, here: true } });

  // What runs inside an actor (here the console) goes to the node that runs it.
  const called = await fetch(`${a.url}/inspector/v1/actors/${onB}/actions/visit`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ args: [] }),
  });
  expect(await called.json()).toMatchObject({ ok: true, output: 2 });
  expect(await viaB.room.getOrCreate(["on-b"]).visit()).toBe(3);
});
