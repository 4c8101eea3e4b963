// Resolve-and-call: `POST /actors` with an action finds (or creates) the actor and calls it in one
// request, and a key-based handle's first call goes out that way.

import { join } from "node:path";
import { pino } from "pino";
import { SqliteDriver } from "troupe";
import { decodeCbor, encodeCbor } from "../../src/base/cbor.ts";
import { createApp } from "../../src/server/app.ts";
import { resolveTransportOptions } from "../../src/server/options.ts";
import { gated } from "../durability/gated-driver.ts";
import { tempDir } from "../support/temp-dir.ts";
import { describe, expect, test } from "vitest";
import { makeRegistry, serveActors } from "./fixtures.ts";
import { Peer } from "./ws-peer.ts";

type Encoding = "json" | "cbor";

function post(url: string, body: unknown, encoding: Encoding) {
  return fetch(url, {
    method: "POST",
    headers: { "x-troupe-encoding": encoding, "content-type": encoding === "json" ? "application/json" : "application/cbor" },
    body: (encoding === "json" ? JSON.stringify(body) : encodeCbor(body)) as BodyInit,
  });
}

async function read(response: Response, encoding: Encoding): Promise<Record<string, unknown>> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  return (encoding === "json" ? JSON.parse(new TextDecoder().decode(bytes)) : decodeCbor(bytes)) as Record<string, unknown>;
}

describe.each(["json", "cbor"] as const)("resolve-and-call (%s)", (encoding) => {
  test("creates the actor and answers with its id and the action's output; errors are typed and create nothing", async () => {
    await using served = await serveActors();
    const actors = `${served.url}/actors`;
    const query = { kind: "getOrCreate", name: "withInput", key: ["a"], input: { start: 7 } };
    const first = await post(actors, { query, action: "value", args: [] }, encoding);
    const { actorId, output } = await read(first, encoding);
    expect(output).toBe(7);
    const again = await read(
      await post(actors, { query: { kind: "get", name: "withInput", key: ["a"] }, action: "value" }, encoding),
      encoding,
    );
    expect(again).toEqual({ actorId, output: 7 });
    const byId = await post(`${served.url}/actors/withInput/${String(actorId)}/actions/value`, { args: [] }, encoding);
    expect(await read(byId, encoding)).toEqual({ output: 7 });

    const cases: Array<[unknown, number, string]> = [
      [{ query: { kind: "getOrCreate", name: "counter", key: ["b"] }, action: 5 }, 400, "malformed"],
      [{ query: { kind: "getOrCreate", name: "counter", key: ["b"] }, action: "increment", args: 1 }, 400, "malformed"],
      [{ query: { kind: "getOrCreate", name: "counter", key: ["b"] }, args: [1] }, 400, "malformed"],
      [{ query: { kind: "get", name: "counter", key: ["none"] }, action: "getCount" }, 404, "not_found"],
    ];
    for (const [body, status, code] of cases) {
      const response = await post(actors, body, encoding);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(await read(response, encoding)).toMatchObject({ code });
    }
    // None of the refused bodies created the actor.
    expect((await post(actors, { query: { kind: "get", name: "counter", key: ["b"] } }, encoding)).status).toBe(404);

    const failing = await post(actors, { query: { kind: "getOrCreate", name: "counter", key: ["c"] }, action: "fail" }, encoding);
    expect(failing.status).toBe(400);
    expect(await read(failing, encoding)).toMatchObject({ group: "user", code: "bad_thing" });
  });

  test("a key-based handle's first call is one request; later calls go by id", async () => {
    await using served = await serveActors();
    const paths: string[] = [];
    const client = served.client({
      encoding,
      fetch: (input, init) => {
        paths.push(new URL(String(input)).pathname);
        return fetch(input, init);
      },
    });
    const handle = client.counter.getOrCreate(["one"]);
    expect(await handle.increment(2)).toBe(2);
    expect(paths).toEqual(["/actors"]);
    expect(await handle.increment(3)).toBe(5);
    const actorId = await handle.resolve();
    expect(paths).toEqual(["/actors", `/actors/counter/${actorId}/actions/increment`]);

    // A first call that fails leaves the handle unresolved: the next one goes by key again.
    paths.length = 0;
    const fresh = client.counter.getOrCreate(["two"]);
    await expect(fresh.fail()).rejects.toMatchObject({ code: "bad_thing" });
    expect(await fresh.getCount()).toBe(0);
    expect(paths).toEqual(["/actors", "/actors"]);
  });
});

const query = (value: unknown) => `troupe.query.${Buffer.from(JSON.stringify(value)).toString("base64url")}`;

describe.each(["json", "cbor"] as const)("connection by key (%s)", (encoding) => {
  test("one upgrade finds or creates the actor; init carries its id", async () => {
    await using served = await serveActors();
    const ws = served.url.replace(/^http/, "ws");
    const missing = new Peer(`${ws}/actors/counter/connect`, encoding, [query({ kind: "get", key: ["k"] })]);
    expect(await missing.next()).toMatchObject({ type: "error", group: "actor", code: "not_found" });
    expect(await missing.closed).toEqual({ code: 1008, reason: "actor.not_found" });

    const peer = new Peer(`${ws}/actors/counter/connect`, encoding, [query({ kind: "getOrCreate", key: ["k"] })]);
    const init = await peer.next();
    expect(init).toMatchObject({ type: "init", protocol: 1 });
    peer.send({ type: "action", id: 1, name: "increment", args: [4] });
    expect(await peer.next()).toEqual({ type: "result", id: 1, output: 4 });
    peer.close();
    const resolved = await served.registry.runtime().host.resolve({ kind: "get", name: "counter", key: ["k"] });
    expect(init.actorId).toBe(resolved);
  });

  test("a missing or wrong query is refused (message.malformed, actor.invalid_key) and creates nothing", async () => {
    await using served = await serveActors();
    const ws = `${served.url.replace(/^http/, "ws")}/actors/counter/connect`;
    const refused: Array<[string[], string]> = [
      [[], "message.malformed"],
      [["troupe.query.not-json"], "message.malformed"],
      [[query({ kind: "create", key: ["x"] })], "message.malformed"],
      [[query({ kind: "getOrCreate", key: ["x"], input: 1 })], "message.malformed"],
      [[query({ kind: "getOrCreate", key: [1] })], "actor.invalid_key"],
    ];
    for (const [protocols, reason] of refused) {
      // Refused before the connection protocol starts, as malformed params are: a close without a frame.
      const peer = new Peer(ws, encoding, protocols);
      expect(await peer.closed, protocols.join()).toEqual({ code: 1008, reason });
    }
    expect(await served.registry.runtime().host.driver.getActorByKey("counter", ["x"])).toBeUndefined();
  });

  test("the client connects by key with no HTTP request, and counts creations against the client's limit", async () => {
    await using served = await serveActors({ limits: { actorCreatesPerMinute: 1 } });
    const paths: string[] = [];
    const client = served.client({
      encoding,
      fetch: (input, init) => {
        paths.push(new URL(String(input)).pathname);
        return fetch(input, init);
      },
    });
    const conn = client.counter.getOrCreate(["c1"]).connect();
    expect(await conn.increment(1)).toBe(1);
    expect(paths).toEqual([]);
    await conn.dispose();
    const limited = new Peer(`${served.url.replace(/^http/, "ws")}/actors/counter/connect`, encoding, [
      query({ kind: "getOrCreate", key: ["c2"] }),
    ]);
    expect(await limited.next()).toMatchObject({ type: "error", group: "actor", code: "create_rate_limited" });
    expect(await limited.closed).toEqual({ code: 1008, reason: "actor.create_rate_limited" });
  });
});

test("a new actor's first call by resolve-and-call is one commit: the call's writes join the creation's", async () => {
  const path = join(tempDir("troupe-one-commit-"), "troupe.db");
  const registry = makeRegistry(path);
  const driver = gated(new SqliteDriver({ path }));
  const runtime = registry.createRuntime(driver, pino({ level: "silent" }));
  const app = createApp({ host: () => runtime.host, options: resolveTransportOptions({}), logger: pino({ level: "silent" }) });
  const call = (key: string) =>
    app.fetch(
      new Request("http://troupe.local/actors", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: { kind: "getOrCreate", name: "counter", key: [key] }, action: "increment", args: [3] }),
      }),
    );
  try {
    const response = await call("one");
    expect(await response.json()).toMatchObject({ output: 3 });
    expect(driver.commits.map((group) => group.map((batch) => Boolean(batch.create)))).toEqual([[true]]);
    // Durable: a runtime opened on the same file sees the created actor with the call's write.
    const reopened = registry.createRuntime(new SqliteDriver({ path }), pino({ level: "silent" }));
    expect(await reopened.client.counter.get(["one"]).getCount()).toBe(3);
    await reopened.shutdown();
  } finally {
    await runtime.shutdown();
  }
});
