// Actors used by the network tests, and a helper that serves them on a real socket.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { actor, forbiddenError, queue, setup, UserError } from "troupe";
import type { RegistryConfig } from "troupe";
import { createClient, type ClientOptions } from "troupe/client";

export const counter = actor({
  state: { count: 0 },
  actions: {
    increment: (c, by: number) => {
      c.state.count += by;
      c.broadcast("changed", c.state.count);
      return c.state.count;
    },
    getCount: (c) => c.state.count,
    getKey: (c) => c.key,
    echo: (_c, value: unknown) => value,
    big: (_c, bytes: number) => "x".repeat(bytes),
    fail: () => {
      throw new UserError("nope", { code: "bad_thing", metadata: { why: "test" } });
    },
    crash: () => {
      throw new Error("secret internal detail");
    },
    kick: (c, reason: string) => c.conn.disconnect(reason),
    nap: (c) => c.sleep(),
    selfDestruct: (c) => c.destroy(),
    math: { add: (_c, a: number, b: number) => a + b },
  },
});

export const withInput = actor({
  createState: (_c, input: { start: number } | undefined) => ({ value: input?.start ?? 0 }),
  actions: { value: (c) => c.state.value },
});

interface GuardParams {
  token?: string;
}

/** Accepts connections whose params carry token "secret"; reports what it saw of the request. */
export const guarded = actor({
  state: { connects: 0 },
  onBeforeConnect: (_c, params: GuardParams | undefined) => {
    if (params?.token !== "secret") throw forbiddenError("Bad token.");
  },
  createConnState: (_c, params: GuardParams | undefined) => ({ token: params?.token ?? "" }),
  onConnect: (c) => {
    c.state.connects++;
  },
  actions: {
    whoami: (c) => ({
      token: c.conn.state.token,
      authorization: c.request?.headers.get("authorization") ?? null,
      custom: c.request?.headers.get("x-custom") ?? null,
    }),
    connects: (c) => c.state.connects,
  },
});

export const raw = actor({
  state: { requests: 0 },
  onRequest: async (c, request) => {
    c.state.requests++;
    const url = new URL(request.url);
    if (url.pathname === "/void") return undefined as unknown as Response;
    // A response whose headers are immutable: the server must still add its own (CORS).
    if (url.pathname === "/redirect") return Response.redirect("http://elsewhere.example/", 302);
    const body = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    return Response.json({
      method: request.method,
      path: url.pathname,
      search: url.search,
      body,
      header: request.headers.get("x-test"),
      requests: c.state.requests,
    });
  },
  onWebSocket: (c, socket) => {
    socket.send(JSON.stringify({ welcome: c.conn.id, path: new URL(c.request!.url).pathname, conns: c.conns.size }));
    socket.addEventListener("message", (event) => socket.send(echo(event.data)));
  },
  actions: { requests: (c) => c.state.requests },
});

/** Text comes back prefixed; bytes come back reversed, sent as a view into a larger buffer. */
function echo(data: unknown): string | Uint8Array {
  if (typeof data === "string") return `echo:${data}`;
  if (!(data instanceof ArrayBuffer)) return `not an ArrayBuffer: ${Object.prototype.toString.call(data)}`;
  const padded = new Uint8Array(data.byteLength + 2);
  padded.set(new Uint8Array(data).reverse(), 1);
  return padded.subarray(1, -1);
}

export const noHandlers = actor({ actions: { ping: () => "pong" } });

/** A raw socket handler that attaches its listener only after some async work. */
export const rawLate = actor({
  onWebSocket: async (_c, socket) => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.addEventListener("message", (event) => socket.send(`late:${String(event.data)}`));
  },
  actions: { stop: (c) => c.destroy() },
});

/** A queue whose publishers must not pass `{ deny: true }`; `completeNext` doubles a job. */
export const inbox = actor({
  queues: {
    jobs: queue<{ n: number }, { doubled: number }>({ canPublish: (c) => (c.conn.state as { deny: boolean }).deny !== true }),
  },
  createConnState: (_c, params: { deny?: boolean } | undefined) => ({ deny: params?.deny === true }),
  actions: {
    take: async (c) => (await c.queue.tryNext({ names: ["jobs"] }))?.body,
    completeNext: async (c) => {
      const message = await c.queue.next({ names: ["jobs"], completable: true, timeout: 5_000 });
      await message?.complete({ doubled: message.body.n * 2 });
      return message !== undefined;
    },
  },
});

/** `hold` answers only once `release` is called; a short grace period cuts it off on shutdown. */
export const holder = actor({
  createVars: () => ({ release: [] as Array<() => void> }),
  options: { sleepGracePeriod: 100 },
  actions: {
    hold: async (c, value: unknown) => {
      c.conn.send("holding");
      await new Promise<void>((resolve) => c.vars.release.push(resolve));
      return value;
    },
    release: (c) => {
      for (const resolve of c.vars.release.splice(0)) resolve();
    },
    echo: (_c, value: unknown) => value,
  },
});

export const actors = { counter, withInput, guarded, raw, noHandlers, inbox, rawLate, holder };
export type TestRegistry = ReturnType<typeof makeRegistry>;

export function makeRegistry(path: string, extra: Partial<RegistryConfig<typeof actors>> = {}) {
  return setup({
    use: actors,
    storage: { driver: "sqlite", path },
    logging: { level: process.env.TROUPE_LOG_LEVEL ?? "silent" },
    ...extra,
  });
}

export interface Served {
  readonly url: string;
  readonly registry: TestRegistry;
  /** A typed network client, disposed with the server. */
  client(options?: ClientOptions): ReturnType<typeof createClient<TestRegistry>>;
  /** Closes the server gracefully and serves the same storage again on the same port. */
  restart(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Serves the test actors on 127.0.0.1 (a free port) over SQLite in a temporary folder. */
export async function serveActors(extra: Partial<RegistryConfig<typeof actors>> = {}): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), "troupe-net-"));
  const registry = makeRegistry(join(dir, "troupe.db"), extra);
  let server = await registry.serve({ port: 0 });
  const port = server.port;
  const clients: Array<{ dispose(): Promise<void> }> = [];
  return {
    get url() {
      return server.url;
    },
    registry,
    client(options) {
      const client = createClient<TestRegistry>(server.url, { reconnect: { initialDelay: 20, maxDelay: 200 }, ...options });
      clients.push(client);
      return client;
    },
    async restart() {
      await server.close();
      server = await registry.serve({ port });
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(clients.map((c) => c.dispose()));
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
