// Cluster tests' helpers: nodes as `troupe start` child processes on one PostgreSQL schema, a
// load of appends spread over the nodes, and the history checker that judges what the load saw.

import { fileURLToPath } from "node:url";
import { createClient } from "troupe/client";
import { onTestFailed } from "vitest";
import { CliProcess } from "../cli/cli-process.ts";
import type { registry } from "./cluster-registry.ts";

const REGISTRY = fileURLToPath(new URL("./cluster-registry.ts", import.meta.url));

/** Short, so that the fault tests take seconds; the nodes renew every third of it. */
export const LEASE_MS = 1_500;

export type HistoryClient = ReturnType<typeof createClient<typeof registry>>;

export interface Node {
  name: string;
  cli: CliProcess;
  url: string;
  client: HistoryClient;
  /** False once the test killed or stopped it: the load leaves it alone. */
  up: boolean;
}

/** Starts a node named `name` on `storageUrl`, and waits until it serves. */
export async function startNode(name: string, storageUrl: string, cwd: string, env: Record<string, string> = {}): Promise<Node> {
  const cli = new CliProcess(["start", REGISTRY, "--port", "0"], cwd, {
    TROUPE_STORAGE_URL: storageUrl,
    TROUPE_CLUSTER_LEASE_MS: String(LEASE_MS),
    TEST_NODE_NAME: name,
    ...env,
  });
  // A failure is judged with what every node said (warnings and errors only).
  onTestFailed(() => console.error(`--- node ${name} said:\n${cli.output.join("\n")}`));
  const url = await cli.url();
  return { name, cli, url, client: createClient<typeof registry>(url), up: true };
}

/** Starts nodes named `names` on a fresh schema of `server`; the first migrates it alone, the others join at once. */
export async function startCluster(
  server: { newSchema(): string; urlFor(schema: string): string },
  names: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ nodes: Node[]; schema: string; url: string }> {
  const schema = server.newSchema();
  const url = server.urlFor(schema);
  const first = await startNode(names[0]!, url, cwd, env);
  const rest = await Promise.all(names.slice(1).map((name) => startNode(name, url, cwd, env)));
  return { nodes: [first, ...rest], schema, url };
}

export async function stopNodes(nodes: Node[]): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      await node.client.dispose();
      if (node.cli.child.signalCode === "SIGSTOP" || node.up === false) node.cli.child.kill("SIGCONT");
      await node.cli[Symbol.asyncDispose]();
    }),
  );
}

/** One append the load tried: acknowledged with the log's length after it, or not (failed or timed out). */
export interface Attempt {
  key: string;
  op: string;
  node: string;
  acked: boolean;
  length?: number;
  /** performance.now() when it was acknowledged. */
  at?: number;
  /** Why it was not acknowledged. */
  error?: string;
  /** Whether it has its answer (or gave up waiting). */
  done?: boolean;
}

/** How long the load waits for one append before it counts it as unacknowledged and moves on. */
const CALL_TIMEOUT_MS = 2_000;

/**
 * Appends to `keys` from `workers` loops, each call through the next node that is up, until
 * stopped. Calls that fail or time out are recorded as unacknowledged, never retried with the
 * same op (a retry could apply it twice without the history being wrong).
 */
export function startLoad(nodes: Node[], keys: string[], workers: number) {
  const attempts: Attempt[] = [];
  let running = true;
  const worker = async (w: number) => {
    for (let i = 0; running; i++) {
      const up = nodes.filter((node) => node.up);
      // Each worker goes round the nodes itself (a counter shared by workers that take turns in a
      // fixed order can send them all to one node), shifted after each round of keys so that
      // every key goes through every node.
      const node = up[(w + i + Math.floor(i / keys.length)) % up.length];
      if (!node) break;
      const key = keys[(w + i) % keys.length]!;
      const attempt: Attempt = { key, op: `w${w}-${i}`, node: node.name, acked: false };
      attempts.push(attempt);
      try {
        const length = await withTimeout(node.client.history.getOrCreate([key]).append(attempt.op), CALL_TIMEOUT_MS);
        Object.assign(attempt, { acked: true, length, at: performance.now() });
      } catch (error) {
        const { group, code, message } = error as { group?: string; code?: string; message?: string };
        attempt.error = group === undefined ? String(message) : `${group}.${code}`;
        // Not acknowledged: the checker allows it to be in the log once, or not at all.
        await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        attempt.done = true;
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return {
    attempts,
    /** Calls through `node` still waiting for their answer. */
    pending: (node: Node) => attempts.filter((a) => a.node === node.name && !a.done).length,
    async stop(): Promise<Attempt[]> {
      running = false;
      await done;
      return attempts;
    },
  };
}

/** Errors that say the call was not applied and to retry it. */
const RETRY = new Set(["storage.unavailable", "cluster.owned_elsewhere", "cluster.owner_unreachable", "cluster.lease_lost"]);

/**
 * Runs `call`, again (up to five times) while it fails with an error that says nothing was applied
 * and to retry: on a loaded machine, opening a connection to PostgreSQL can outlast the short
 * deadlines these tests' leases give it. For the tests' own steps; the load records such failures.
 */
export async function retried<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const { group, code } = error as { group?: string; code?: string };
      if (attempt >= 5 || !RETRY.has(`${group}.${code}`)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** Reads every key's log through `node`. */
export async function readLogs(node: Node, keys: string[]): Promise<Map<string, Array<[string, string]>>> {
  const logs = new Map<string, Array<[string, string]>>();
  for (const key of keys) logs.set(key, await retried(() => node.client.history.getOrCreate([key]).log()));
  return logs;
}

/**
 * The history checker. Returns what is wrong, empty when the history is right:
 * - every acknowledged append is in its key's log exactly once, at the position its reply gave;
 * - no append is in a log twice, and none that nobody tried;
 * - each instance's appends form one unbroken run (two instances never wrote in turns, as two
 *   live instances of one actor would).
 */
export function checkHistory(attempts: Attempt[], logs: Map<string, Array<[string, string]>>): string[] {
  const problems: string[] = [];
  const tried = new Map(attempts.map((a) => [`${a.key}/${a.op}`, a]));
  for (const [key, log] of logs) {
    const seen = new Map<string, number>();
    const ended = new Set<string>();
    let current: string | undefined;
    log.forEach(([op, instance], index) => {
      if (seen.has(op)) problems.push(`${key}: ${op} applied twice (at ${seen.get(op)! + 1} and ${index + 1})`);
      seen.set(op, index);
      if (!tried.has(`${key}/${op}`)) problems.push(`${key}: ${op} in the log but never tried`);
      if (instance !== current) {
        if (current !== undefined) ended.add(current);
        if (ended.has(instance)) problems.push(`${key}: instance ${instance} wrote again at ${index + 1} after another instance wrote`);
        current = instance;
      }
    });
    for (const attempt of attempts) {
      if (attempt.key !== key || !attempt.acked) continue;
      const index = seen.get(attempt.op);
      if (index === undefined) problems.push(`${key}: acknowledged ${attempt.op} (via ${attempt.node}) is missing`);
      else if (index + 1 !== attempt.length)
        problems.push(`${key}: ${attempt.op} acknowledged at ${attempt.length}, found at ${index + 1}`);
    }
  }
  return problems;
}

/** Which node runs the actor of `key` now (asked through `via`). */
export function ownerOf(via: Node, key: string): Promise<string> {
  return retried(() => via.client.history.getOrCreate([key]).node());
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  promise.catch(() => {});
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
