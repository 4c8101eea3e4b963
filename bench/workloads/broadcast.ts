// broadcast: one actor, `conns` WebSocket connections subscribed to its "tick" event; one call
// broadcasts `events` ticks → deliveries/s (until the last connection got the last tick) and the
// delivery lag of each (from broadcast to the client's listener). Floor: a bare ws server sending
// the same bytes (the ticks as Troupe's event messages) to as many raw ws sockets, which decode them. Beside them, the CPU time per delivery of the
// server process and of the client process (`.server_cpu`, `.client_cpu`): on a shared machine
// they move less than the rate, and they tell which side limits it.

import WebSocket from "ws";
import { decodeCbor } from "../../packages/troupe/src/base/cbor.ts";
import type { Tick } from "../lib/actors.ts";
import { wallClock } from "../lib/clock.ts";
import { progress } from "../lib/progress.ts";
import { perSecond, type PartialResult } from "../lib/result.ts";
import { startServer } from "../lib/server-process.ts";
import { percentile } from "../lib/stats.ts";
import { remote } from "../lib/subject.ts";
import { runWorkload } from "../lib/workload.ts";

/** Collects the lag of every delivery; `done` resolves at the expected count. */
class Deliveries {
  readonly lags: Float64Array;
  #count = 0;
  #resolve: () => void = () => {};
  readonly done: Promise<void>;

  constructor(expected: number) {
    this.lags = new Float64Array(expected);
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  record(tick: Tick): void {
    this.lags[this.#count++] = wallClock() - tick.sentAt;
    if (this.#count === this.lags.length) this.#resolve();
  }

  /** Waits for every delivery, failing after `ms` with how many arrived. */
  async complete(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`only ${this.#count} of ${this.lags.length} deliveries arrived in ${ms} ms`)), ms);
    });
    await Promise.race([this.done, timeout]).finally(() => clearTimeout(timer));
  }
}

function figure(deliveries: Deliveries, rate: number): PartialResult {
  const sorted = deliveries.lags.slice().sort();
  return {
    value: rate,
    unit: "deliveries/s",
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    n: sorted.length,
  };
}

/** The rate of a burst and the CPU time per delivery of each side. */
interface Burst {
  rate: number;
  serverCpu: number;
  clientCpu: number;
}

/** This (the client's) process's CPU time so far, in µs. */
function clientCpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Runs `burst` and waits for its deliveries, measuring the time and both processes' CPU. */
async function measure(deliveries: Deliveries, serverCpuUs: () => Promise<number>, burst: () => Promise<unknown>): Promise<Burst> {
  const [server0, client0] = [await serverCpuUs(), clientCpuUs()];
  const start = performance.now();
  await burst();
  await deliveries.complete(120_000);
  const ms = performance.now() - start;
  const [server1, client1] = [await serverCpuUs(), clientCpuUs()];
  const n = deliveries.lags.length;
  return { rate: perSecond(n, ms), serverCpu: (server1 - server0) / n, clientCpu: (client1 - client0) / n };
}

function cpuFigure(value: number, floor: number, n: number): PartialResult {
  return { value, unit: "µs CPU/delivery", floor, n };
}

async function floor(conns: number, events: number): Promise<Burst> {
  await using server = await startServer("echo-server.ts");
  let deliveries = new Deliveries(conns);
  const sockets = await Promise.all(
    Array.from({ length: conns }, async () => {
      const ws = new WebSocket(String(server.info.url).replace(/^http/, "ws"));
      ws.on("message", (data: Buffer) => deliveries.record((decodeCbor(data) as { args: [Tick] }).args[0]));
      await new Promise((resolve, reject) => {
        ws.once("open", resolve);
        ws.once("error", reject);
      });
      return ws;
    }),
  );
  await server.command({ cmd: "broadcast", count: 1 });
  await deliveries.complete(60_000);
  deliveries = new Deliveries(conns * events);
  const burst = await measure(
    deliveries,
    () => server.cpuUs(),
    () => server.command({ cmd: "broadcast", count: events }),
  );
  for (const ws of sockets) ws.terminate();
  return burst;
}

runWorkload(async (params) => {
  const conns = params.int("conns");
  const events = params.int("events");

  progress(`broadcast floor: ${events} ticks to ${conns} raw sockets`);
  const bare = await floor(conns, events);

  progress(`broadcast ws: ${events} ticks to ${conns} connections`);
  await using subject = await remote("cbor");
  const handle = subject.client.broadcaster.getOrCreate(["room"]);
  let deliveries: Deliveries | undefined;
  const subscribed = new Set<number>();
  const connections = Array.from({ length: conns }, (_, c) => {
    const conn = handle.connect();
    conn.on("tick", (tick) => {
      subscribed.add(c);
      deliveries?.record(tick as Tick);
    });
    return conn;
  });
  await Promise.all(connections.map((conn) => conn.ready));
  // A subscription travels on its socket, the burst over HTTP: tick until every connection hears it.
  for (let tries = 0; subscribed.size < conns; tries++) {
    if (tries === 600) throw new Error(`only ${subscribed.size} of ${conns} connections receive ticks`);
    await handle.burst(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  deliveries = new Deliveries(conns * events);
  const done = deliveries;
  const serverCpuUs = subject.serverCpuUs;
  if (serverCpuUs === undefined) throw new Error("broadcast needs a server process");
  const burst = await measure(done, serverCpuUs, () => handle.burst(events));

  const name = params.string("figure");
  return {
    [name]: { ...figure(done, burst.rate), floor: bare.rate },
    [`${name}.server_cpu`]: cpuFigure(burst.serverCpu, bare.serverCpu, done.lags.length),
    [`${name}.client_cpu`]: cpuFigure(burst.clientCpu, bare.clientCpu, done.lags.length),
  };
});
