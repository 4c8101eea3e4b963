// action_throughput: many actors, `concurrency` calls in flight spread over them → actions/s,
// in-process, over HTTP (stateless calls) or over WebSocket (one connection per actor); for an
// echo action that writes nothing (action_throughput.<transport>) and for an increment whose reply
// waits for its commit (action_throughput.<transport>.write: acknowledged = durable).
// Floors: a minimal actor dispatch in-process (floors/minimal-actors.ts); the bare HTTP echo; the
// bare WebSocket echo with as many sockets; for writes, the same with one row committed per call
// before the reply (commits of one tick grouped); all driven the same way.
// Over the network, each figure also has the server's CPU time per call (….server_cpu, µs), beside
// the floor server's: the server's work per call, which the machine's load moves far less than
// the wall-clock rate.

import { httpEcho, WsEchoClient } from "../floors/echo-clients.ts";
import { MinimalActors } from "../floors/minimal-actors.ts";
import { inFlight } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { perSecond, type Results } from "../lib/result.ts";
import { startServer } from "../lib/server-process.ts";
import { inProcess, remote } from "../lib/subject.ts";
import { type TempDir, tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

type Call = (i: number) => Promise<unknown>;

/** Wall time in ms, and the server's CPU time in µs when it runs in a process of its own. */
interface Run {
  ms: number;
  cpuUs: number | undefined;
}

interface Timed {
  echo: Run;
  write: Run;
}

/** Reads the server's CPU time (µs); undefined when the server is this process. */
type CpuClock = (() => Promise<number>) | undefined;

/** Warms `call` up, then times `n` calls with `concurrency` in flight. */
async function drive(n: number, concurrency: number, call: Call, cpu: CpuClock): Promise<Run> {
  await inFlight(Math.min(n, 10_000), concurrency, call);
  const before = await cpu?.();
  const ms = await inFlight(n, concurrency, call);
  const after = await cpu?.();
  return { ms, cpuUs: before === undefined || after === undefined ? undefined : after - before };
}

async function both(n: number, concurrency: number, echo: Call, write: Call, cpu: CpuClock): Promise<Timed> {
  const echoRun = await drive(n, concurrency, echo, cpu);
  return { echo: echoRun, write: await drive(n, concurrency, write, cpu) };
}

/** The throughput figure of `name`, and its server CPU per call when both runs have one. */
function figures(name: string, n: number, run: Run, floor: Run): Results {
  const results: Results = { [name]: { value: perSecond(n, run.ms), unit: "actions/s", floor: perSecond(n, floor.ms), n } };
  if (run.cpuUs !== undefined && floor.cpuUs !== undefined) {
    results[`${name}.server_cpu`] = { value: run.cpuUs / n, unit: "µs CPU/call", floor: floor.cpuUs / n, n };
  }
  return results;
}

async function floor(dir: TempDir, transport: string, n: number, actors: number, concurrency: number): Promise<Timed> {
  const id = (i: number) => `t${i % actors}`;
  if (transport === "in_process") {
    const minimal = new MinimalActors(
      dir.file("floor.db"),
      Array.from({ length: actors }, (_, a) => id(a)),
    );
    const timed = await both(
      n,
      concurrency,
      (i) => minimal.echo(id(i), i),
      (i) => minimal.increment(id(i), 1),
      undefined,
    );
    minimal.close();
    return timed;
  }
  await using server = await startServer("echo-server.ts");
  const url = String(server.info.url);
  const cpu = () => server.cpuUs();
  if (transport === "http") {
    // Awaited here: the server is disposed when this function returns.
    return await both(
      n,
      concurrency,
      (i) => httpEcho(url, i),
      (i) => httpEcho(url, i, `/update/${id(i)}`),
      cpu,
    );
  }
  const open = (path: string) => Promise.all(Array.from({ length: actors }, () => WsEchoClient.open(`${url}${path}`, "cbor")));
  const plain = await open("");
  const durable = await open("/update");
  const timed = await both(
    n,
    concurrency,
    (i) => (plain[i % actors] as WsEchoClient).call(i),
    (i) => (durable[i % actors] as WsEchoClient).call(i),
    cpu,
  );
  for (const client of [...plain, ...durable]) client.close();
  return timed;
}

runWorkload(async (params) => {
  const transport = params.string("transport");
  const http = transport === "http";
  const n = params.int(http ? "http_n" : "n");
  const concurrency = params.int(http ? "http_concurrency" : "concurrency");
  const actorCount = params.int("actors");
  using dir = tempDir();

  progress(`action_throughput floor (${transport}): ${n} echoes and ${n} writes, ${concurrency} in flight`);
  const floorTimed = await floor(dir, transport, n, actorCount, concurrency);

  await using subject = transport === "in_process" ? inProcess(dir) : await remote("cbor");
  const handles = Array.from({ length: actorCount }, (_, a) => subject.client.counter.getOrCreate([`t${a}`]));
  await Promise.all(handles.map((handle) => handle.resolve()));
  let echo: Call = (i) => (handles[i % actorCount] as (typeof handles)[number]).echo(i);
  let write: Call = (i) => (handles[i % actorCount] as (typeof handles)[number]).increment(1);
  if (transport === "ws") {
    const conns = handles.map((handle) => handle.connect());
    await Promise.all(conns.map((conn) => conn.ready));
    echo = (i) => (conns[i % actorCount] as (typeof conns)[number]).echo(i);
    write = (i) => (conns[i % actorCount] as (typeof conns)[number]).increment(1);
  }
  progress(`action_throughput ${transport}: ${n} echoes and ${n} writes over ${actorCount} actors, ${concurrency} in flight`);
  const timed = await both(n, concurrency, echo, write, subject.serverCpuUs);
  return {
    ...figures(`action_throughput.${transport}`, n, timed.echo, floorTimed.echo),
    ...figures(`action_throughput.${transport}.write`, n, timed.write, floorTimed.write),
  };
});
