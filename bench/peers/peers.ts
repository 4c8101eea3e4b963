// peers: the same HTTP client (fetch, JSON bodies, one request per call, the actor named by its key)
// against a Troupe server and, when it is installed here, workerd (Durable Objects with SQLite-backed
// storage, peers/workerd/). For each: a new actor's first call (sequential, latency), new actors/s
// and increments/s over `actors` existing actors, `concurrency` in flight. Every reply waits for its
// write to be durable on both. Results peers.<system>.*; no floors (each system is the other's
// reference). Troupe gets `POST /actors` resolve-and-call, the one-request form its client uses.

import { progress } from "../lib/progress.ts";
import { inFlight, timeEach } from "../lib/pool.ts";
import { latency, perSecond, type Results } from "../lib/result.ts";
import { startServer } from "../lib/server-process.ts";
import { runWorkload } from "../lib/workload.ts";
import { startWorkerd, workerdMissing } from "./workerd-server.ts";

type Increment = (key: string) => Promise<number>;

async function expectCount(response: Response, read: (body: Record<string, unknown>) => unknown): Promise<number> {
  const body = (await response.json()) as Record<string, unknown>;
  const count = read(body);
  if (!response.ok || typeof count !== "number") throw new Error(`unexpected reply ${response.status}: ${JSON.stringify(body)}`);
  return count;
}

const troupeIncrement =
  (url: string): Increment =>
  async (key) => {
    const response = await fetch(`${url}/actors`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-troupe-encoding": "json" },
      body: JSON.stringify({ query: { kind: "getOrCreate", name: "counter", key: [key] }, action: "increment", args: [1] }),
    });
    return expectCount(response, (body) => body.output);
  };

const workerdIncrement =
  (url: string): Increment =>
  async (key) => {
    const response = await fetch(`${url}/counter/${encodeURIComponent(key)}/increment`, { method: "POST" });
    return expectCount(response, (body) => body.count);
  };

async function measure(system: string, increment: Increment, n: number, actors: number, concurrency: number): Promise<Results> {
  progress(`peers ${system}: ${n} first calls, ${n} new actors and ${n} increments over ${actors} actors, ${concurrency} in flight`);
  await timeEach(Math.min(100, n), (i) => increment(`w${i}`));
  const first = await timeEach(n, (i) => increment(`s${i}`));
  const newMs = await inFlight(n, concurrency, (i) => increment(`c${i}`));
  await inFlight(actors, concurrency, (i) => increment(`h${i}`));
  const incrementsMs = await inFlight(n, concurrency, (i) => increment(`h${i % actors}`));
  return {
    [`peers.${system}.first_call`]: latency(first),
    [`peers.${system}.new_actors`]: { value: perSecond(n, newMs), unit: "actors/s", n },
    [`peers.${system}.increments`]: { value: perSecond(n, incrementsMs), unit: "increments/s", n },
  };
}

runWorkload(async (params) => {
  const n = params.int("n");
  const actors = params.int("actors");
  const concurrency = params.int("concurrency");
  let results: Results;
  {
    await using troupe = await startServer("troupe-server.ts");
    results = await measure("troupe", troupeIncrement(String(troupe.info.url)), n, actors, concurrency);
  }
  const missing = workerdMissing();
  if (missing !== undefined) {
    progress(`peers: workerd skipped: ${missing}`);
    return results;
  }
  await using workerd = await startWorkerd();
  return { ...results, ...(await measure("workerd", workerdIncrement(workerd.url), n, actors, concurrency)) };
});
