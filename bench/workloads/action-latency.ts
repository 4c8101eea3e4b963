// action_latency: one awake actor, sequential calls → latency per call, in-process, over HTTP (CBOR)
// or over a WebSocket connection (JSON or CBOR); for an echo action that writes nothing
// (action_latency.<transport>) and for an increment whose reply waits for its commit
// (action_latency.<transport>.write: acknowledged = durable).
// Floors: in-process, a minimal actor dispatch (floors/minimal-actors.ts); the bare HTTP echo; the
// bare WebSocket echo in the same encoding; for writes, the same with one row committed before the reply.

import { httpEcho, WsEchoClient } from "../floors/echo-clients.ts";
import { MinimalActors } from "../floors/minimal-actors.ts";
import { timeEach } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency, type Results } from "../lib/result.ts";
import { startServer } from "../lib/server-process.ts";
import { inProcess, remote } from "../lib/subject.ts";
import { type TempDir, tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

const payload = (i: number) => ({ i, text: "hello" });

type Call = (i: number) => Promise<unknown>;

interface Samples {
  echo: number[];
  write: number[];
}

async function measure(n: number, warmup: number, echo: Call, write: Call): Promise<Samples> {
  await timeEach(warmup, echo);
  const echoSamples = await timeEach(n, echo);
  await timeEach(warmup, write);
  return { echo: echoSamples, write: await timeEach(n, write) };
}

/** Per-call latencies of the floors for `transport`. */
async function floor(dir: TempDir, transport: string, n: number, warmup: number): Promise<Samples> {
  if (transport === "in_process") {
    const actors = new MinimalActors(dir.file("floor.db"), ["latency"]);
    const samples = await measure(
      n,
      warmup,
      (i) => actors.echo("latency", payload(i)),
      (i) => actors.increment("latency", i),
    );
    actors.close();
    return samples;
  }
  await using server = await startServer("echo-server.ts");
  const url = String(server.info.url);
  if (transport === "http") {
    // Awaited here: the server is disposed when this block returns.
    return await measure(
      n,
      warmup,
      (i) => httpEcho(url, payload(i)),
      (i) => httpEcho(url, i, "/update/latency"),
    );
  }
  const encoding = transport === "ws_json" ? "json" : "cbor";
  const ws = await WsEchoClient.open(url, encoding);
  const durable = await WsEchoClient.open(`${url}/update`, encoding);
  const samples = await measure(
    n,
    warmup,
    (i) => ws.call(payload(i)),
    (i) => durable.call(i),
  );
  ws.close();
  durable.close();
  return samples;
}

runWorkload(async (params) => {
  const n = params.int("n");
  const warmup = params.int("warmup");
  const transport = params.string("transport");
  using dir = tempDir();

  progress(`action_latency floor (${transport}): ${n} echoes, ${n} writes`);
  const floorSamples = await floor(dir, transport, n, warmup);

  progress(`action_latency ${transport}: ${n} echoes, ${n} writes`);
  await using subject = transport === "in_process" ? inProcess(dir) : await remote(transport === "ws_json" ? "json" : "cbor");
  const handle = subject.client.counter.getOrCreate(["latency"]);
  let echo: Call = (i) => handle.echo(payload(i));
  let write: Call = () => handle.increment(1);
  if (transport.startsWith("ws_")) {
    const conn = handle.connect();
    await conn.ready;
    echo = (i) => conn.echo(payload(i));
    write = () => conn.increment(1);
  }
  const samples = await measure(n, warmup, echo, write);

  const results: Results = {
    [`action_latency.${transport}`]: latency(samples.echo, floorSamples.echo),
    [`action_latency.${transport}.write`]: latency(samples.write, floorSamples.write),
  };
  return results;
});
