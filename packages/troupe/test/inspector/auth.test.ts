// The inspector's token: every route, HTTP and WebSocket, refuses a call without it or with a wrong
// one (401 inspector.unauthorized), and a refused call changes nothing at all.

import { expect, test } from "vitest";
import { WebSocket } from "ws";
import { inspectorToken } from "../../src/inspector/config.ts";
import { type Inspected, makeRegistry, serveInspected, TOKEN, until } from "./fixtures.ts";

/** Every route of the API, with a body that would succeed, on the actors `ids`. */
function routes(ids: { counter: string; worker: string; crm: string; flow: string }, connId: string) {
  const { counter, worker, crm, flow } = ids;
  return [
    ["GET", "/registry"],
    ["GET", "/actors"],
    ["GET", `/actors/${counter}`],
    ["GET", `/actors/${counter}/awake`],
    ["GET", `/actors/${counter}/state`],
    ["PUT", `/actors/${counter}/state`, { state: { count: 99, tags: [], notes: {}, when: 0 } }],
    ["PATCH", `/actors/${counter}/state`, [{ op: "replace", path: "/count", value: 42 }]],
    ["GET", `/actors/${counter}/connections`],
    ["DELETE", `/actors/${counter}/connections/${connId}`],
    ["GET", `/actors/${worker}/queue`],
    ["POST", `/actors/${worker}/queue`, { queue: "jobs", body: { n: 7 } }],
    ["POST", `/actors/${worker}/queue/dead-letters/replay`, { all: true }],
    ["POST", `/actors/${worker}/queue/dead-letters/delete`, { all: true }],
    ["GET", `/actors/${counter}/schedules`],
    ["DELETE", `/actors/${counter}/schedules/anything`],
    ["DELETE", `/actors/${counter}/cron/tick`],
    ["GET", `/actors/${flow}/workflow`],
    ["GET", `/actors/${crm}/db/tables`],
    ["GET", `/actors/${crm}/db/tables/people/rows`],
    ["POST", `/actors/${crm}/db/query`, { sql: "SELECT 1 AS one" }],
    ["GET", `/actors/${counter}/kv`],
    ["GET", `/actors/${counter}/kv/value?key=k`],
    ["POST", `/actors/${counter}/actions/increment`, { args: [1] }],
    ["GET", "/stream"],
    ["GET", "/no-such-route"],
  ] as Array<[string, string, unknown?]>;
}

/** Everything a call could change: stored data of every actor, which actors are awake, open connections. */
async function world(served: Inspected): Promise<string> {
  const driver = served.host.driver;
  const records = await driver.listActors({});
  const data = await Promise.all(
    records.map(async (r) => [
      r.id,
      r.epoch,
      (await driver.list(r.id)).map(([k, v]) => `${Buffer.from(k).toString("hex")}=${Buffer.from(v).toString("hex")}`),
    ]),
  );
  const live = [...served.host.instances.keys()].sort();
  const conns = records.map((r) => [r.id, [...(served.host.openConnections(r.id)?.keys() ?? [])]]);
  return JSON.stringify({ data, live, conns });
}

test("every route refuses a missing or wrong token with 401, before it reads, wakes or changes anything", async () => {
  await using served = await serveInspected();
  const counter = served.client.counter.getOrCreate(["c"]);
  await counter.kvPut("k", "v");
  await counter.remind(60_000);
  await counter.tick();
  const conn = counter.connect({ user: "ada" });
  await conn.increment(1);
  const connId = [...(served.host.openConnections(await counter.resolve())?.keys() ?? [])][0]!;
  const ids = {
    counter: await counter.resolve(),
    worker: await served.id("worker", ["w"]),
    crm: await served.id("crm", ["c"]),
    flow: await served.id("flow", ["f"]),
  };
  await served.client.worker.getOrCreate(["w"]).send("jobs", { n: 1 });
  await served.client.worker.getOrCreate(["w"]).drop();
  for (const id of Object.values(ids)) await served.sleep(id);
  const before = await world(served);

  for (const [method, path, body] of routes(ids, connId)) {
    for (const token of [null, "wrong-token-0123456789abcdef", `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const response = await served.api(method, path, { body, token });
      expect(response.status, `${method} ${path} with token ${token}`).toBe(401);
      expect(response.body, `${method} ${path}`).toMatchObject({ group: "inspector", code: "unauthorized" });
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="troupe-inspector"');
    }
  }
  // A wrong scheme is no token either.
  const basic = await fetch(`${served.url}/inspector/v1/registry`, { headers: { authorization: `Basic ${TOKEN}` } });
  expect(basic.status).toBe(401);
  expect(await world(served)).toBe(before);
  expect(served.host.instances.size).toBe(0);

  // The same calls with the token do reach the actors (so the world above could have changed).
  const allowed = await served.api("POST", `/actors/${ids.counter}/actions/increment`, { body: { args: [1] } });
  expect(allowed.body).toMatchObject({ ok: true, output: 2 });
  expect(await world(served)).not.toBe(before);
});

test("the stream refuses a missing or wrong token at the handshake", async () => {
  await using served = await serveInspected();
  const wsUrl = `${served.url.replace("http", "ws")}/inspector/v1/stream`;
  const statusOf = (protocols: string[], headers: Record<string, string> = {}) =>
    new Promise<number>((resolve) => {
      const socket = new WebSocket(wsUrl, protocols, { headers });
      socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.once("open", () => {
        socket.close();
        resolve(101);
      });
    });
  const tokenProtocol = (token: string) => `troupe.inspector.token.${Buffer.from(token).toString("base64url")}`;
  expect(await statusOf(["troupe.inspector.v1"])).toBe(401);
  expect(await statusOf(["troupe.inspector.v1", tokenProtocol("wrong-token-0123456789abcdef")])).toBe(401);
  expect(await statusOf(["troupe.inspector.v1", "troupe.inspector.token.%%%"])).toBe(401);
  expect(await statusOf(["troupe.inspector.v1"], { authorization: "Bearer nope" })).toBe(401);
  expect(await statusOf(["troupe.inspector.v1", tokenProtocol(TOKEN)])).toBe(101);
  expect(await statusOf([], { authorization: `Bearer ${TOKEN}` })).toBe(101);

  // The browser's way: the token as a subprotocol, and the server selects the inspector's.
  const peer = await served.stream();
  expect(peer.socket.protocol).toBe("troupe.inspector.v1");
  await until("ready", () => peer.messages.length > 0);
  expect(peer.messages[0]).toMatchObject({ type: "ready", version: 1 });
});

test("without a token the inspector is off: every route says so, and nothing else changes", async () => {
  await using served = await serveInspected({ inspector: false });
  for (const path of ["", "/registry", "/actors", "/stream"]) {
    const response = await served.api("GET", path);
    expect(response.status, path).toBe(404);
    expect(response.body).toMatchObject({ group: "inspector", code: "disabled" });
  }
  const refused = await new Promise<number>((resolve) => {
    const socket = new WebSocket(`${served.url.replace("http", "ws")}/inspector/v1/stream`, ["troupe.inspector.v1"]);
    socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
  });
  expect(refused).toBe(404);
  expect(await served.client.counter.getOrCreate(["x"]).increment(1)).toBe(1);
});

test("the token comes from setup(), else TROUPE_INSPECTOR_TOKEN; a short one is refused", () => {
  expect(inspectorToken({ token: TOKEN }, { TROUPE_INSPECTOR_TOKEN: "from-the-environment-123" })).toBe(TOKEN);
  expect(inspectorToken(undefined, { TROUPE_INSPECTOR_TOKEN: "from-the-environment-123" })).toBe("from-the-environment-123");
  expect(inspectorToken(false, { TROUPE_INSPECTOR_TOKEN: "from-the-environment-123" })).toBeUndefined();
  expect(inspectorToken(undefined, {})).toBeUndefined();
  expect(() => inspectorToken(undefined, { TROUPE_INSPECTOR_TOKEN: "short" })).toThrow(/at least 16 characters/);
  expect(() => makeRegistry("/tmp/unused.db", { inspector: { token: "short" } })).toThrow(/at least 16 characters/);
  expect(() => makeRegistry("/tmp/unused.db", { inspector: { tokn: TOKEN } as never })).toThrow(/Unknown inspector option tokn/);
});
