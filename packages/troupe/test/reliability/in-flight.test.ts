// A client gets a bounded number of calls in flight: a WebSocket connection at its limit is not
// read until replies go out (so pipelining any number of calls costs the server a bounded amount
// of memory), and HTTP calls past a client's limit are refused with a typed 429.

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { pino } from "pino";
import { createClient } from "troupe";
import { expect, test } from "vitest";
import { WebSocket } from "ws";
import { decodeCbor, encodeCbor } from "../../src/base/cbor.ts";
import type { ServerSocket } from "../../src/server/socket.ts";
import { serveConnection } from "../../src/server/connection.ts";
import { resolveTransportOptions } from "../../src/server/options.ts";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";
import { actionUrl, actorId, connectUrl, makeRegistry, post, serve, type Served } from "./actors.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A CBOR connection that counts its replies by kind. */
async function counting(served: Served, id: string) {
  const socket = new WebSocket(connectUrl(served, "gate", id), ["troupe.v1", "troupe.encoding.cbor"]);
  const replies = { results: 0, errors: [] as Array<Record<string, unknown>> };
  await new Promise<void>((resolve) =>
    socket.on("message", (data) => {
      const message = decodeCbor(new Uint8Array(data as Buffer)) as Record<string, unknown>;
      if (message.type === "init") resolve();
      else if (message.type === "result") replies.results++;
      else replies.errors.push(message);
    }),
  );
  return { socket, replies };
}

async function stats(served: Served, id: string) {
  const reply = await post(actionUrl(served, "gate", id, "stats"), { value: { args: [] } }, "json");
  return reply.body.output as { active: number; maxActive: number; waiting: number; done: number };
}

test("pipelined calls on one socket never exceed inFlightPerConnection; every one is answered", async () => {
  await using served = await serve({ limits: { inFlightPerConnection: 8 } });
  const id = await actorId(served, "gate", ["few"]);
  const { socket, replies } = await counting(served, id);
  for (let i = 1; i <= 500; i++) socket.send(encodeCbor({ type: "action", id: i, name: "hold", args: [i] }));
  await until("8 calls to be held", async () => (await stats(served, id)).waiting === 8);
  await post(actionUrl(served, "gate", id, "open"), { value: { args: [] } }, "json");
  await until("every call to be answered", () => replies.results + replies.errors.length === 500, {
    detail: () => JSON.stringify(replies.errors.slice(0, 3)),
  });
  expect(replies).toEqual({ results: 500, errors: [] });
  expect((await stats(served, id)).maxActive).toBe(8);
  socket.close();
});

test("60,000 calls pipelined on one socket leave the server's heap flat (default limit)", async () => {
  await using served = await serve();
  const id = await actorId(served, "gate", ["many"]);
  const { socket, replies } = await counting(served, id);
  const before = heapUsed();
  const calls = 60_000;
  const frame = (i: number) => encodeCbor({ type: "action", id: i, name: "hold", args: [i] });
  for (let i = 1; i <= calls; i++) socket.send(frame(i));
  await until("the server to hold as many calls as its limit", async () => (await stats(served, id)).waiting === 1024, { timeout: 20_000 });
  const held = heapUsed() - before;
  // Unlimited, the 60,000 held calls take about 100 MB here (200,000 about 350 MB); at the limit
  // only 1,024 are in memory, and the rest of the heap growth is this test's own client buffering.
  expect(held).toBeLessThan(48 * 1024 * 1024);
  await post(actionUrl(served, "gate", id, "open"), { value: { args: [] } }, "json");
  await until("every call to be answered", () => replies.results + replies.errors.length === calls, { timeout: 60_000 });
  expect(replies.errors).toEqual([]);
  expect((await stats(served, id)).maxActive).toBe(1024);
  socket.close();
  console.log(`in-flight: ${calls} pipelined calls, heap +${(held / 1024 / 1024).toFixed(1)} MB while held at the limit`);
}, 120_000);

test("HTTP calls past inFlightPerClient are refused with request.too_many_in_flight; nothing of them runs", async () => {
  await using served = await serve({ limits: { inFlightPerClient: 4 } });
  const id = await actorId(served, "gate", ["http"]);
  // Watched and opened in-process: an HTTP call from this client would wait for a free slot too.
  const gate = createClient(served.registry).gate.getOrCreate(["http"]);
  const calls = Array.from({ length: 6 }, (_, i) => post(actionUrl(served, "gate", id, "hold"), { value: { args: [i] } }, "json"));
  const settled = calls.map((call) => call.then(() => true));
  await until("4 calls held and 2 answered", async () => (await gate.stats()).waiting === 4 && (await countTrue(settled)) === 2);
  await gate.open();
  const replies = await Promise.all(calls);
  expect(replies.filter((r) => r.status === 200)).toHaveLength(4);
  expect(replies.filter((r) => r.status === 429).map((r) => r.body)).toEqual([
    expect.objectContaining({ group: "request", code: "too_many_in_flight", metadata: { limit: 4 } }),
    expect.objectContaining({ group: "request", code: "too_many_in_flight", metadata: { limit: 4 } }),
  ]);
  expect((await gate.stats()).done).toBe(4);
});

/** How many of `promises` have settled so far. */
async function countTrue(promises: Array<Promise<boolean>>): Promise<number> {
  const states = await Promise.all(promises.map((p) => Promise.race([p, Promise.resolve(false)])));
  return states.filter(Boolean).length;
}

/** A ServerSocket that delivers frames when told, as one network read would, whether paused or not. */
class ScriptedSocket implements ServerSocket {
  readonly protocol = "troupe.v1";
  readonly bufferedAmount = 0;
  isOpen = true;
  readonly sent: Array<Record<string, unknown>> = [];
  readonly calls: string[] = [];
  #listener: ((data: string | Uint8Array<ArrayBuffer>) => void) | undefined;
  send(data: string | Uint8Array): void {
    this.sent.push(decodeCbor(data as Uint8Array) as Record<string, unknown>);
  }
  close(): void {
    this.isOpen = false;
  }
  onMessage(listener: (data: string | Uint8Array<ArrayBuffer>) => void): void {
    this.#listener = listener;
  }
  onClose(): void {}
  pause(): void {
    this.calls.push("pause");
  }
  resume(): void {
    this.calls.push("resume");
  }
  deliver(message: unknown): void {
    this.#listener!(encodeCbor(message) as Uint8Array<ArrayBuffer>);
  }
}

test("frames read past the limit wait, up to 4x maxIncomingMessageSize in bytes; beyond, each gets a typed error with its id", async () => {
  const registry = makeRegistry(`${tempDir("troupe-inflight-")}/troupe.db`);
  const runtime = registry.createRuntime(registry.runtime().host.driver, pino({ level: "silent" }));
  try {
    const host = runtime.host;
    const actorIdOfGate = await host.resolve({ kind: "getOrCreate", name: "gate", key: ["scripted"] });
    const options = resolveTransportOptions({ maxIncomingMessageSize: 1024, limits: { inFlightPerConnection: 2 } });
    const socket = new ScriptedSocket();
    serveConnection(socket, {
      host,
      options,
      logger: pino({ level: "silent" }),
      track: () => {},
      query: { kind: "id", name: "gate", actorId: actorIdOfGate },
      encoding: "cbor",
      params: undefined,
      request: new Request("http://localhost/"),
    });
    await until("init", () => socket.sent.length === 1);
    const padding = "x".repeat(900);
    for (let i = 1; i <= 8; i++) socket.deliver({ type: "action", id: i, name: "hold", args: [padding] });
    // 2 run, 4 wait (4 x ~930 bytes fit in 4 KiB), 2 are refused at once.
    expect(socket.sent.slice(1)).toEqual([
      expect.objectContaining({ type: "error", id: 7, group: "request", code: "too_many_in_flight" }),
      expect.objectContaining({ type: "error", id: 8, group: "request", code: "too_many_in_flight" }),
    ]);
    expect(socket.calls).toEqual(["pause", "resume", "pause"]);
    await until("2 calls held by the actor", async () => (await runtime.client.gate.getOrCreate(["scripted"]).stats()).waiting === 2);
    await runtime.client.gate.getOrCreate(["scripted"]).open();
    await until("the waiting frames to run", () => socket.sent.length === 1 + 2 + 6);
    expect(socket.sent.filter((m) => m.type === "result").map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(socket.calls.at(-1)).toBe("resume");
  } finally {
    await runtime.shutdown();
    await registry.shutdown();
  }
});
