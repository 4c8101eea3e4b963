// GET /metrics: scraped over HTTP from a real server (SQLite, a free port) and read as the
// Prometheus text format; its values move with real actions, commits, sleeps, queue messages,
// connections and errors. Off unless asked for; behind a token when one is set.

import { join } from "node:path";
import { actor, queue, type RegistryConfig, setup, UserError } from "troupe";
import { createClient } from "troupe/client";
import { expect, test } from "vitest";
import { metricsAccess } from "../../src/telemetry/metrics-config.ts";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";
import { type Exposition, parseExposition } from "./exposition.ts";

const TOKEN = "metrics-token-0123456789abcdef";

const counter = actor({
  state: { count: 0 },
  actions: {
    increment: (c, by = 1) => {
      c.state.count += by;
      return c.state.count;
    },
    count: (c) => c.state.count,
    fail: () => {
      throw new UserError("nope", { code: "bad_thing" });
    },
  },
});

const worker = actor({
  queues: { jobs: queue<{ n: number }>() },
  options: { maxQueueDeliveries: 3 },
  actions: {
    /** Receives a completable message and leaves it incomplete: it goes back to the queue. */
    drop: async (c) => (await c.queue.tryNext({ names: ["jobs"], completable: true }))?.id ?? null,
  },
});

const actors = { counter, worker };

function registryAt(dir: string, extra: Partial<RegistryConfig<typeof actors>> = {}) {
  return setup({ use: actors, storage: { driver: "sqlite", path: join(dir, "troupe.db") }, logging: { level: "silent" }, ...extra });
}

async function serve(extra: Partial<RegistryConfig<typeof actors>> = {}) {
  const registry = registryAt(tempDir("troupe-metrics-"), extra);
  const server = await registry.serve({ port: 0 });
  const client = createClient<typeof registry>(server.url);
  return {
    registry,
    server,
    client,
    async scrape(token?: string): Promise<Exposition> {
      const response = await fetch(`${server.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      return parseExposition(await response.text());
    },
    async [Symbol.asyncDispose]() {
      await client.dispose();
      await server.close();
    },
  };
}

test("actions, commits, activations and sleeps move their metrics", async () => {
  await using s = await serve({ metrics: true });
  const before = await s.scrape();
  expect(before.types.get("troupe_action_duration_seconds")).toBe("histogram");
  expect(before.value("troupe_actors", { actor: "counter", state: "awake" })).toBe(0);
  expect(before.value("troupe_action_duration_seconds_count")).toBe(0);

  const handle = s.client.counter.getOrCreate(["a"]);
  for (let i = 0; i < 3; i++) await handle.increment(2);
  const id = await handle.resolve();

  const after = await s.scrape();
  const labels = { actor: "counter", action: "increment", outcome: "ok" };
  expect(after.value("troupe_action_duration_seconds_count", labels)).toBe(3);
  expect(after.value("troupe_action_duration_seconds_sum", labels)).toBeGreaterThan(0);
  expect(after.value("troupe_action_duration_seconds_bucket", { ...labels, le: "+Inf" })).toBe(3);
  // Buckets are cumulative: the largest finite one holds every call that took up to 10 s.
  expect(after.value("troupe_action_duration_seconds_bucket", { ...labels, le: "10" })).toBe(3);
  expect(after.value("troupe_action_duration_seconds_bucket", { ...labels, le: "0.0005" })).toBeLessThanOrEqual(3);
  expect(after.value("troupe_activations_total", { actor: "counter", cause: "create" })).toBe(1);
  expect(after.value("troupe_actors", { actor: "counter", state: "awake" })).toBe(1);
  expect(after.value("troupe_actors", { actor: "counter", state: "asleep" })).toBe(0);
  // One state write per increment, each a batch with its key written (the first may share the create's).
  expect(after.value("troupe_commit_duration_seconds_count", { actor: "counter" })).toBeGreaterThanOrEqual(3);
  expect(after.value("troupe_commit_batch_writes_sum", { actor: "counter" })).toBeGreaterThanOrEqual(3);
  expect(after.value("troupe_commit_bytes_total", { actor: "counter" })).toBeGreaterThan(0);
  expect(after.value("troupe_commit_group_size_count")).toBe(after.value("troupe_commit_duration_seconds_count"));
  expect(after.value("troupe_received_bytes_total", { transport: "http" })).toBeGreaterThan(0);
  expect(after.value("troupe_sent_bytes_total", { transport: "http" })).toBeGreaterThan(
    before.value("troupe_sent_bytes_total", { transport: "http" }),
  );

  await s.registry.runtime().host.instances.get(id)?.stop("sleep");
  const asleep = await s.scrape();
  expect(asleep.value("troupe_actors", { actor: "counter", state: "awake" })).toBe(0);
  expect(asleep.value("troupe_actors", { actor: "counter", state: "asleep" })).toBe(1);
  expect(asleep.value("troupe_stops_total", { actor: "counter", reason: "requested" })).toBe(1);

  expect(await handle.count()).toBe(6);
  const woken = await s.scrape();
  expect(woken.value("troupe_activations_total", { actor: "counter", cause: "action" })).toBe(1);
  expect(woken.value("troupe_activation_duration_seconds_count", { actor: "counter", mode: "wake" })).toBe(1);
  expect(woken.value("troupe_actors", { actor: "counter", state: "awake" })).toBe(1);
});

test("errors sent to clients are counted by code, and failed actions by outcome", async () => {
  await using s = await serve({ metrics: true });
  const handle = s.client.counter.getOrCreate(["e"]);
  await expect(handle.fail()).rejects.toMatchObject({ group: "user", code: "bad_thing" });
  expect((await fetch(`${s.server.url}/nowhere`)).status).toBe(404);
  const scraped = await s.scrape();
  expect(scraped.value("troupe_errors_total", { transport: "http", code: "user.bad_thing" })).toBe(1);
  expect(scraped.value("troupe_errors_total", { transport: "http", code: "request.not_found" })).toBe(1);
  expect(scraped.value("troupe_action_duration_seconds_count", { actor: "counter", action: "fail", outcome: "error" })).toBe(1);
});

test("queue sends, depth and redeliveries, and WebSocket connections and bytes", async () => {
  await using s = await serve({ metrics: true });
  const handle = s.client.worker.getOrCreate(["w"]);
  await handle.send("jobs", { n: 1 });
  await handle.send("jobs", { n: 2 });
  let scraped = await s.scrape();
  expect(scraped.value("troupe_queue_messages_total", { actor: "worker", event: "sent" })).toBe(2);

  // Received and left incomplete twice: the second delivery of the same message is a redelivery.
  const first = await handle.drop();
  expect(await handle.drop()).toBe(first);
  scraped = await s.scrape();
  expect(scraped.value("troupe_queue_messages_total", { actor: "worker", event: "received" })).toBe(2);
  expect(scraped.value("troupe_queue_redeliveries_total", { actor: "worker" })).toBe(1);
  expect(scraped.value("troupe_queue_depth", { actor: "worker" })).toBe(2);

  const conn = s.client.counter.getOrCreate(["c"]).connect();
  expect(await conn.increment(1)).toBe(1);
  scraped = await s.scrape();
  expect(scraped.value("troupe_connections", { actor: "counter" })).toBe(1);
  expect(scraped.value("troupe_connections_opened_total", { actor: "counter" })).toBe(1);
  expect(scraped.value("troupe_received_bytes_total", { transport: "websocket" })).toBeGreaterThan(0);
  expect(scraped.value("troupe_sent_bytes_total", { transport: "websocket" })).toBeGreaterThan(0);
  await expect(conn.fail()).rejects.toMatchObject({ code: "bad_thing" });
  await conn.dispose();
  await until("the connection to close", async () => (await s.scrape()).value("troupe_connections", { actor: "counter" }) === 0);
  scraped = await s.scrape();
  expect(scraped.value("troupe_errors_total", { transport: "websocket", code: "user.bad_thing" })).toBe(1);
});

test("with a token, a scrape without it or with a wrong one gets 401 metrics.unauthorized", async () => {
  await using s = await serve({ metrics: { token: TOKEN } });
  expect(s.server.metrics).toEqual({ url: `${s.server.url}/metrics`, tokenRequired: true });
  for (const headers of [{}, { authorization: "Bearer wrong-token-0123456789" }] as Array<Record<string, string>>) {
    const response = await fetch(`${s.server.url}/metrics`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect(await response.json()).toMatchObject({ group: "metrics", code: "unauthorized" });
  }
  expect((await s.scrape(TOKEN)).has("troupe_actors")).toBe(true);
});

test("off unless asked for: 404 metrics.disabled, and setup({ metrics: false }) wins over the environment", async () => {
  await using s = await serve(process.env.TROUPE_METRICS || process.env.TROUPE_METRICS_TOKEN ? { metrics: false } : {});
  expect(s.server.metrics).toBeUndefined();
  const response = await fetch(`${s.server.url}/metrics`);
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ group: "metrics", code: "disabled" });
});

test("the environment turns metrics on: TROUPE_METRICS_TOKEN behind a token, TROUPE_METRICS=1 without", () => {
  expect(metricsAccess(undefined, {})).toBeUndefined();
  expect(metricsAccess(undefined, { TROUPE_METRICS: "1" })).toEqual({ token: undefined });
  expect(metricsAccess(undefined, { TROUPE_METRICS: "0" })).toBeUndefined();
  expect(metricsAccess(undefined, { TROUPE_METRICS_TOKEN: TOKEN })).toEqual({ token: TOKEN });
  expect(metricsAccess(true, { TROUPE_METRICS_TOKEN: TOKEN })).toEqual({ token: TOKEN });
  expect(metricsAccess(false, { TROUPE_METRICS: "1", TROUPE_METRICS_TOKEN: TOKEN })).toBeUndefined();
  expect(metricsAccess({ token: "another-token-0123456789" }, { TROUPE_METRICS_TOKEN: TOKEN })).toEqual({
    token: "another-token-0123456789",
  });
  expect(() => metricsAccess(undefined, { TROUPE_METRICS_TOKEN: "short" })).toThrow(/TROUPE_METRICS_TOKEN must be a string of at least 16/);
  expect(() => setup({ use: actors, metrics: { token: "short" } })).toThrow(/metrics.token must be/);
  expect(() => setup({ use: actors, metrics: { tokn: TOKEN } as never })).toThrow(/Unknown metrics option tokn/);
});

test("registry.handler serves /metrics too, counting from the first request", async () => {
  const registry = registryAt(tempDir("troupe-metrics-handler-"), { metrics: true });
  try {
    // As a fetch server hands it over: a body with its declared length.
    const call = (path: string, body?: unknown) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> =
        text === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) };
      return registry.handler(new Request(`http://app.test${path}`, { method: text === undefined ? "GET" : "POST", headers, body: text }));
    };
    const resolved = await call("/actors", { query: { kind: "getOrCreate", name: "counter", key: ["h"] } });
    const { actorId } = (await resolved.json()) as { actorId: string };
    expect((await call(`/actors/counter/${actorId}/actions/increment`, { args: [5] })).status).toBe(200);
    const scraped = parseExposition(await (await call("/metrics")).text());
    expect(scraped.value("troupe_action_duration_seconds_count", { actor: "counter", action: "increment" })).toBe(1);
    expect(scraped.value("troupe_activations_total", { actor: "counter", cause: "create" })).toBe(1);
    expect(scraped.value("troupe_received_bytes_total", { transport: "http" })).toBeGreaterThan(0);
    expect(scraped.value("troupe_sent_bytes_total", { transport: "http" })).toBeGreaterThan(0);
  } finally {
    await registry.shutdown();
  }
});
