// cluster: Troupe nodes sharing one PostgreSQL (DATABASE_URL), each in a process of its own.
// - part=throughput: HTTP increments/s through 1, 2 or 3 nodes, calls spread round-robin over the
//   nodes as a load balancer would (so most reach a node that forwards them to the actor's node).
// - part=latency: an HTTP call through the actor's own node (the floor) and through another node
//   (forwarded); and the cold start (create + first call) of new actors through a node.
// - part=db: c.db INSERTs (each its own transaction, shipped to PostgreSQL before it resolves)
//   through one node: inserts/s over many actors, and the latency of one insert beside that of a
//   state write (an increment) on the same node, its floor.
// - part=failover: kill -9 of the node that runs an actor, then the time until a survivor answers
//   for it, calling every 10 ms. The floor is two thirds of the lease: the dead node renewed its
//   lease at most a third of a lease before it died, and no node may take over before it lapses.

import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { createClient } from "troupe/client";
import { nodeFlags, ROOT } from "../lib/build.ts";
import type { registry } from "../lib/actors.ts";
import { inFlight } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency, perSecond, type Results } from "../lib/result.ts";
import { BenchSchema } from "../lib/storage.ts";
import { type Params, runWorkload } from "../lib/workload.ts";

interface ClusterNode extends AsyncDisposable {
  url: string;
  child: ChildProcess;
  client: ReturnType<typeof createClient<typeof registry>>;
}

async function startNode(schema: string, leaseMs: number): Promise<ClusterNode> {
  const child = spawn(process.execPath, [...nodeFlags(), "bench/servers/cluster-node.ts"], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, BENCH_SCHEMA: schema, BENCH_LEASE_MS: String(leaseMs) },
  });
  const [line] = await createInterface({ input: child.stdout! })
    [Symbol.asyncIterator]()
    .next()
    .then((r) => [r.value as string]);
  if (line === undefined) throw new Error("a cluster node exited before it served");
  const url = String((JSON.parse(line) as { url: string }).url);
  const client = createClient<typeof registry>(url);
  return {
    url,
    child,
    client,
    async [Symbol.asyncDispose]() {
      await client.dispose();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin!.end();
      await exited;
    },
  };
}

async function startCluster(schema: string, count: number, leaseMs: number): Promise<ClusterNode[]> {
  // The first node migrates the schema alone.
  const first = await startNode(schema, leaseMs);
  const rest = await Promise.all(Array.from({ length: count - 1 }, () => startNode(schema, leaseMs)));
  return [first, ...rest];
}

async function stopCluster(nodes: ClusterNode[]): Promise<void> {
  await Promise.all(nodes.map((node) => node[Symbol.asyncDispose]()));
}

async function throughput(params: Params, schema: string): Promise<Results> {
  const count = params.int("nodes");
  const n = params.int("n");
  const actors = params.int("actors");
  const concurrency = params.int("concurrency");
  const nodes = await startCluster(schema, count, 10_000);
  try {
    // Created through every node in turn, so the actors spread over them.
    const handles = Array.from({ length: count }, (_, via) =>
      Array.from({ length: actors }, (_, a) => nodes[via]!.client.counter.getOrCreate([`t${a}`])),
    );
    for (let a = 0; a < actors; a++) await handles[a % count]![a]!.resolve();
    const call = (i: number) => handles[i % count]![i % actors]!.increment(1);
    await inFlight(Math.min(n, 500), concurrency, call);
    progress(`cluster throughput: ${n} calls over ${actors} actors on ${count} nodes, ${concurrency} in flight`);
    const ms = await inFlight(n, concurrency, call);
    return { [`cluster.actions.nodes_${count}`]: { value: perSecond(n, ms), unit: "actions/s", n } };
  } finally {
    await stopCluster(nodes);
  }
}

async function callLatency(params: Params, schema: string): Promise<Results> {
  const n = params.int("latency_n");
  const [a, b] = await startCluster(schema, 2, 10_000);
  try {
    const onA = a!.client.counter.getOrCreate(["latency"]);
    const viaB = b!.client.counter.getOrCreate(["latency"]);
    await onA.echo(0);
    for (let i = 0; i < 50; i++) await viaB.echo(i);
    progress(`cluster latency: ${n} calls direct, ${n} forwarded, ${n} cold starts`);
    const direct: number[] = [];
    const forwarded: number[] = [];
    await inFlight(n, 1, (i) => onA.echo(i), direct);
    await inFlight(n, 1, (i) => viaB.echo(i), forwarded);
    const cold: number[] = [];
    await inFlight(n, 1, (i) => [a, b][i % 2]!.client.counter.getOrCreate([`cold${i}`]).echo(i), cold);
    return {
      "cluster.forwarded_call": latency(forwarded, direct),
      "cluster.cold_start": latency(cold),
    };
  } finally {
    await stopCluster([a!, b!]);
  }
}

async function dbWrites(params: Params, schema: string): Promise<Results> {
  const n = params.int("n");
  const actors = params.int("actors");
  const concurrency = params.int("concurrency");
  const latencyN = params.int("latency_n");
  const [node] = await startCluster(schema, 1, 10_000);
  try {
    const notebooks = Array.from({ length: actors }, (_, a) => node!.client.notebook.getOrCreate([`db${a}`]));
    for (const notebook of notebooks) await notebook.add("created");
    const add = (i: number) => notebooks[i % actors]!.add(`note ${i}`);
    progress(`cluster db: ${n} inserts over ${actors} actors, ${concurrency} in flight; ${latencyN} one at a time`);
    const ms = await inFlight(n, concurrency, add);
    const inserts: number[] = [];
    const increments: number[] = [];
    const counter = node!.client.counter.getOrCreate(["db-floor"]);
    await inFlight(latencyN, 1, add, inserts);
    await inFlight(latencyN, 1, (i) => counter.increment(i), increments);
    return {
      "cluster.db_writes": { value: perSecond(n, ms), unit: "inserts/s", n },
      "cluster.db_write": latency(inserts, increments),
    };
  } finally {
    await stopCluster([node!]);
  }
}

async function failover(params: Params, schema: string): Promise<Results> {
  const rounds = params.int("rounds");
  const leaseMs = params.int("lease_ms");
  const nodes = await startCluster(schema, 3, leaseMs);
  const samples: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const victim = nodes[round % nodes.length]!;
      const survivor = nodes[(round + 1) % nodes.length]!;
      // Created through the victim: it runs the actor when it dies.
      await victim.client.counter.getOrCreate([`failover${round}`]).increment(1);
      const handle = survivor.client.counter.getOrCreate([`failover${round}`]);
      progress(`cluster failover: round ${round + 1} of ${rounds}`);
      const killedAt = performance.now();
      victim.child.kill("SIGKILL");
      for (;;) {
        const served = await handle.increment(1).then(
          () => true,
          () => false,
        );
        if (served) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      samples.push(performance.now() - killedAt);
      await victim[Symbol.asyncDispose]();
      nodes[round % nodes.length] = await startNode(schema, leaseMs);
    }
    return { "cluster.failover": { ...latency(samples), floor: (leaseMs * 2) / 3 } };
  } finally {
    await stopCluster(nodes);
  }
}

runWorkload(async (params) => {
  await using schema = new BenchSchema();
  const part = params.string("part");
  if (part === "throughput") return throughput(params, schema.name);
  if (part === "latency") return callLatency(params, schema.name);
  if (part === "db") return dbWrites(params, schema.name);
  if (part === "failover") return failover(params, schema.name);
  throw new Error(`Unknown cluster part ${part}.`);
});
