// action_latency: one awake actor, sequential calls of an echo action → latency per call,
// in-process, over HTTP (CBOR) or over a WebSocket connection (JSON or CBOR).
// Floors: a plain function call; the bare HTTP echo; the bare WebSocket echo in the same encoding.

import { httpEcho, WsEchoClient } from "../floors/echo-clients.ts";
import { timeEach } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency } from "../lib/result.ts";
import { startServer } from "../lib/server-process.ts";
import { inProcess, remote } from "../lib/subject.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

const payload = (i: number) => ({ i, text: "hello" });

function plainEcho<T>(value: T): T {
  return value;
}

/** Per-call latencies of the floor for `transport`. */
async function floor(transport: string, n: number, warmup: number): Promise<number[]> {
  if (transport === "in_process") {
    await timeEach(warmup, (i) => plainEcho(payload(i)));
    return timeEach(n, (i) => plainEcho(payload(i)));
  }
  await using server = await startServer("echo-server.ts");
  const url = String(server.info.url);
  if (transport === "http") {
    await timeEach(warmup, (i) => httpEcho(url, payload(i)));
    // Awaited here: the server is disposed when this block returns.
    return await timeEach(n, (i) => httpEcho(url, payload(i)));
  }
  const ws = await WsEchoClient.open(url, transport === "ws_json" ? "json" : "cbor");
  await timeEach(warmup, (i) => ws.call(payload(i)));
  const samples = await timeEach(n, (i) => ws.call(payload(i)));
  ws.close();
  return samples;
}

runWorkload(async (params) => {
  const n = params.int("n");
  const warmup = params.int("warmup");
  const transport = params.string("transport");
  using dir = tempDir();

  progress(`action_latency floor (${transport}): ${n} calls`);
  const floorSamples = await floor(transport, n, warmup);

  progress(`action_latency ${transport}: ${n} calls`);
  await using subject = transport === "in_process" ? inProcess(dir) : await remote(transport === "ws_json" ? "json" : "cbor");
  const handle = subject.client.counter.getOrCreate(["latency"]);
  let call = (i: number): Promise<unknown> => handle.echo(payload(i));
  if (transport.startsWith("ws_")) {
    const conn = handle.connect();
    await conn.ready;
    call = (i) => conn.echo(payload(i));
  }
  await timeEach(warmup, call);
  const samples = await timeEach(n, call);

  return { [`action_latency.${transport}`]: latency(samples, floorSamples) };
});
