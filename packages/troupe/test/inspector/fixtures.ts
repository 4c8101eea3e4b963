// Actors for the inspector tests, a server with the inspector on (real SQLite, a free port), and
// small helpers to call its API and to read its live stream.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { actor, queue, setup, UserError } from "troupe";
import type { RegistryConfig } from "troupe";
import { createClient } from "troupe/client";
import { db } from "troupe/db";
import { workflow } from "troupe/workflow";
import { WebSocket } from "ws";
import type { ActorHost } from "../../src/host/host.ts";

export const TOKEN = "inspector-token-0123456789abcdef";

export const counter = actor({
  state: { count: 0, tags: new Set<string>(["a"]), notes: new Map<string, string>(), when: new Date(0) },
  createConnState: (_c, params: { user?: string } | undefined) => ({ user: params?.user ?? "anon" }),
  createVars: () => ({ release: [] as Array<() => void>, calls: 0 }),
  actions: {
    increment: (c, by = 1) => {
      c.vars.calls++;
      c.state.count += by;
      c.broadcast("changed", c.state.count);
      return c.state.count;
    },
    count: (c) => c.state.count,
    state: (c) => c.state,
    calls: (c) => c.vars.calls,
    fail: () => {
      throw new UserError("nope", { code: "bad_thing", metadata: { why: "test" } });
    },
    crash: () => {
      throw new Error("secret detail");
    },
    /** Runs until `release` is called. */
    hold: (c) => new Promise<void>((resolve) => c.vars.release.push(resolve)),
    /** Keeps the actor awake until `release` is called. */
    keep: (c) => {
      void c.keepAwake(new Promise<void>((resolve) => c.vars.release.push(resolve)));
    },
    release: (c) => {
      for (const resolve of c.vars.release.splice(0)) resolve();
    },
    remind: (c, ms: number) => c.schedule.after(ms, "increment", 1),
    tick: (c) => c.cron.every({ name: "tick", interval: 60_000, action: "increment", args: [2] }),
    kvPut: (c, key: string, value: string) => c.kv.put(key, value),
    kvPutBytes: (c, key: string, bytes: number[]) => c.kv.put(key, new Uint8Array(bytes)),
    kvPutBinaryKey: (c, key: number[], value: string) => c.kv.put(new Uint8Array(key), value),
    nap: (c) => c.sleep(),
  },
});

/** A queue whose messages, received as completable and not completed, go to the dead letters after one delivery. */
export const worker = actor({
  queues: { jobs: queue<{ n: number }>(), other: queue<string>() },
  options: { maxQueueDeliveries: 1 },
  actions: {
    drop: async (c) => (await c.queue.tryNext({ names: ["jobs"], completable: true }))?.id ?? null,
    take: async (c) => (await c.queue.tryNext({ names: ["jobs"] }))?.body ?? null,
    hold: async (c) => {
      const message = await c.queue.tryNext({ names: ["jobs"], completable: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await message?.complete();
    },
  },
});

export const crm = actor({
  db: db({
    onMigrate: (tx) =>
      tx.execute(`
        CREATE TABLE IF NOT EXISTS people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, photo BLOB);
        CREATE VIEW IF NOT EXISTS names AS SELECT name FROM people;
      `),
  }),
  actions: {
    seed: async (c) => {
      await c.db.execute("INSERT OR REPLACE INTO people (id, name, photo) VALUES (1, 'Ada', x'0102'), (2, 'Bob', NULL), (3, 'Cy', NULL)");
    },
    count: async (c) => ((await c.db.execute<{ n: number }>("SELECT count(*) AS n FROM people"))[0] as { n: number }).n,
  },
});

/** A workflow of two steps around a sleep; `steps` says which step names the code uses now. */
export const flowCode = { first: "reserve" };
export const flow = actor({
  state: { done: [] as string[] },
  run: workflow(async (ctx) => {
    await ctx.step(flowCode.first, (c) => {
      c.state.done.push(flowCode.first);
      return { receipt: "r-1" };
    });
    await ctx.sleep("wait", 60_000);
    await ctx.step("ship", (c) => {
      c.state.done.push("ship");
    });
  }),
  actions: { done: (c) => c.state.done },
});

export const plain = actor({ actions: { ping: () => "pong" }, options: { noSleep: true } });

export const actors = { counter, worker, crm, flow, plain };

export function makeRegistry(path: string, extra: Partial<RegistryConfig<typeof actors>> = {}) {
  return setup({
    use: actors,
    storage: { driver: "sqlite", path },
    logging: { level: process.env.TROUPE_LOG_LEVEL ?? "silent" },
    inspector: { token: TOKEN },
    ...extra,
  });
}
export type Registry = ReturnType<typeof makeRegistry>;

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface Inspected {
  readonly url: string;
  readonly registry: Registry;
  readonly host: ActorHost;
  /** A network client of the actors (disposed with the server). */
  readonly client: ReturnType<typeof createClient<Registry>>;
  /** Calls the inspector API; `token: null` sends none. */
  api(method: string, path: string, options?: { body?: unknown; token?: string | null; raw?: string }): Promise<ApiResponse>;
  /** The id of the actor `name` with `key`, created if needed. */
  id(name: keyof typeof actors, key: string[]): Promise<string>;
  /** Puts an actor to sleep now and waits until it sleeps. */
  sleep(actorId: string): Promise<void>;
  /** Opens the live stream. */
  stream(query?: string, protocols?: string[]): Promise<StreamPeer>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Serves the test actors with the inspector on, over SQLite in a temporary folder. */
export async function serveInspected(extra: Partial<RegistryConfig<typeof actors>> = {}): Promise<Inspected> {
  const dir = mkdtempSync(join(tmpdir(), "troupe-inspector-"));
  const registry = makeRegistry(join(dir, "troupe.db"), extra);
  const server = await registry.serve({ port: 0 });
  const client = createClient<Registry>(server.url, { reconnect: { initialDelay: 20, maxDelay: 200 } });
  const peers: StreamPeer[] = [];
  const host = registry.runtime().host;
  return {
    url: server.url,
    registry,
    host,
    client,
    async api(method, path, options = {}) {
      const token = options.token === undefined ? TOKEN : options.token;
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers["content-type"] = "application/json";
      }
      const response = await fetch(`${server.url}/inspector/v1${path}`, { method, headers, body });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
    },
    async id(name, key) {
      return (client[name] as { getOrCreate(key: string[]): { resolve(): Promise<string> } }).getOrCreate(key).resolve();
    },
    async sleep(actorId) {
      await host.instances.get(actorId)?.stop("sleep");
    },
    async stream(query = "", protocols = ["troupe.inspector.v1", `troupe.inspector.token.${Buffer.from(TOKEN).toString("base64url")}`]) {
      const peer = new StreamPeer(`${server.url.replace("http", "ws")}/inspector/v1/stream${query}`, protocols);
      peers.push(peer);
      await peer.opened;
      return peer;
    },
    async [Symbol.asyncDispose]() {
      for (const peer of peers) peer.close();
      await client.dispose();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type StreamMessage = Record<string, unknown> & { type: string };
export type StreamEvent = StreamMessage & {
  event: string;
  kind: string;
  seq: number;
  actor: { id: string; name: string };
  data: Record<string, unknown>;
};

/** A client of the live stream: messages in arrival order. */
export class StreamPeer {
  readonly socket: WebSocket;
  readonly messages: StreamMessage[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(url: string, protocols: string[]) {
    this.socket = new WebSocket(url, protocols);
    this.socket.on("message", (data) => this.messages.push(JSON.parse(String(data)) as StreamMessage));
    this.opened = new Promise((resolve, reject) => {
      this.socket.once("open", () => resolve());
      this.socket.once("unexpected-response", (_req, res) => reject(new Error(`stream refused with HTTP ${res.statusCode}`)));
      this.socket.once("error", reject);
    });
    this.closed = new Promise((resolve) => this.socket.on("close", (code) => resolve(code)));
  }

  get events(): StreamEvent[] {
    return this.messages.filter((m): m is StreamEvent => m.type === "event");
  }

  /** Waits until an event matches `match`, and returns it. */
  async waitFor(what: string, match: (event: StreamEvent) => boolean, ms = 5_000): Promise<StreamEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no stream event ${what}; got:\n${this.events.map((e) => `${e.event} ${JSON.stringify(e.data)}`).join("\n")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  close(): void {
    this.socket.close();
  }
}

/** Polls `check` until it returns true, failing after `ms`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
