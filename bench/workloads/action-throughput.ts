// action_throughput: many actors, `concurrency` echo calls in flight spread over them → actions/s,
// in-process, over HTTP (stateless calls) or over WebSocket (one connection per actor).
// Floors: plain function calls; the bare HTTP echo; the bare WebSocket echo with as many sockets,
// all driven the same way.

import { httpEcho, WsEchoClient } from "../floors/echo-clients.ts";
import { inFlight } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { perSecond, type Results } from "../lib/result.ts";
import { startServer } from "../lib/server-process.ts";
import { inProcess, remote } from "../lib/subject.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

async function plainEcho<T>(value: T): Promise<T> {
  return value;
}

type Call = (i: number) => Promise<unknown>;

/** Warms `call` up, then returns the wall time of `n` calls with `concurrency` in flight. */
async function drive(n: number, concurrency: number, call: Call): Promise<number> {
  await inFlight(Math.min(n, 10_000), concurrency, call);
  return inFlight(n, concurrency, call);
}

async function floorMs(transport: string, n: number, sockets: number, concurrency: number): Promise<number> {
  if (transport === "in_process") return drive(n, concurrency, (i) => plainEcho(i));
  await using server = await startServer("echo-server.ts");
  const url = String(server.info.url);
  // Awaited here: the server is disposed when this function returns.
  if (transport === "http") return await drive(n, concurrency, (i) => httpEcho(url, i));
  const clients = await Promise.all(Array.from({ length: sockets }, () => WsEchoClient.open(url, "cbor")));
  const ms = await drive(n, concurrency, (i) => (clients[i % sockets] as WsEchoClient).call(i));
  for (const client of clients) client.close();
  return ms;
}

runWorkload(async (params) => {
  const transport = params.string("transport");
  const http = transport === "http";
  const n = params.int(http ? "http_n" : "n");
  const concurrency = params.int(http ? "http_concurrency" : "concurrency");
  const actorCount = params.int("actors");
  using dir = tempDir();

  progress(`action_throughput floor (${transport}): ${n} calls, ${concurrency} in flight`);
  const floor = await floorMs(transport, n, actorCount, concurrency);

  await using subject = transport === "in_process" ? inProcess(dir) : await remote("cbor");
  const handles = Array.from({ length: actorCount }, (_, a) => subject.client.counter.getOrCreate([`t${a}`]));
  await Promise.all(handles.map((handle) => handle.resolve()));
  let call: Call = (i) => (handles[i % actorCount] as (typeof handles)[number]).echo(i);
  if (transport === "ws") {
    const conns = handles.map((handle) => handle.connect());
    await Promise.all(conns.map((conn) => conn.ready));
    call = (i) => (conns[i % actorCount] as (typeof conns)[number]).echo(i);
  }
  progress(`action_throughput ${transport}: ${n} calls over ${actorCount} actors, ${concurrency} in flight`);
  const ms = await drive(n, concurrency, call);

  const results: Results = {
    [`action_throughput.${transport}`]: { value: perSecond(n, ms), unit: "actions/s", floor: perSecond(n, floor), n },
  };
  return results;
});
