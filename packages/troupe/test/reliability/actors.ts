// Actors and a served registry for the reliability tests (hostile input, limits, guards), and the
// hand-rolled HTTP and WebSocket calls those tests make in both encodings.

import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { actor, forbiddenError, queue, type RegistryConfig, setup } from "troupe";
import { decodeCbor, encodeCbor } from "../../src/base/cbor.ts";
import { type Encoding, Peer } from "../transport/ws-peer.ts";

export type { Encoding };
export const ENCODINGS = ["json", "cbor"] as const;

/** Stores whatever it is given, hands it back, and broadcasts it. */
export const store = actor({
  state: { value: undefined as unknown, m: {} as Record<string, unknown> },
  actions: {
    set: (c, value: unknown) => {
      c.state.value = value;
      return true;
    },
    get: (c) => c.state.value,
    echo: (_c, value: unknown) => value,
    bigint: () => 12345678901234567890n,
    broadcast: (c, value: unknown) => {
      c.broadcast("news", value);
      return "sent";
    },
    setKey: (c, key: string, value: unknown) => {
      c.state.m[key] = value;
      return true;
    },
    /** The classic pollution pattern: `m[a] ??= {}; m[a][b] = v` with attacker-chosen a and b. */
    setPath: (c, a: string, b: string, value: unknown) => {
      const inner = (c.state.m[a] ??= {}) as Record<string, unknown>;
      inner[b] = value;
      return true;
    },
    readKey: (c, key: string) => c.state.m[key] ?? null,
    getM: (c) => c.state.m,
    inspect: (_c, x: Record<string, unknown>) => ({
      isAdmin: x.isAdmin ?? null,
      keys: Object.keys(x),
      plainPrototype: Object.getPrototypeOf(x) === Object.prototype,
    }),
    buildDeep: (c, levels: number) => {
      let value: unknown = 0;
      for (let i = 0; i < levels; i++) value = [value];
      c.state.value = value;
      return true;
    },
    returnDeep: (_c, levels: number) => {
      let value: unknown = 0;
      for (let i = 0; i < levels; i++) value = [value];
      return value;
    },
    returnCycle: () => {
      const a: unknown[] = [];
      a.push(a);
      return a;
    },
  },
});

/** Events of the guard hooks, in order; a test reads it to check which hooks ran. */
export const hookLog: string[] = [];

export interface Params {
  token?: string;
}

const allowed = (params: Params | undefined, request: Request | undefined) =>
  params?.token === "ok" || request?.headers.get("authorization") === "Bearer ok";

/** Every way in is guarded: creation and lookups, connections, a queue, an event. */
export const vault = actor({
  createState: (_c, input: { secret?: string } | undefined) => {
    hookLog.push("createState");
    return { secret: input?.secret ?? "none", calls: 0 };
  },
  onBeforeCreate: (c, { kind, params, request }) => {
    hookLog.push(`onBeforeCreate:${kind}`);
    if (!allowed(params as Params | undefined, request)) throw forbiddenError(`Not allowed to use ${c.name}.`);
  },
  onCreate: () => {
    hookLog.push("onCreate");
  },
  onWake: () => {
    hookLog.push("onWake");
  },
  onBeforeConnect: (c, params: Params | undefined) => {
    hookLog.push("onBeforeConnect");
    if (!allowed(params, c.request)) throw forbiddenError("Bad token.");
  },
  createConnState: () => {
    hookLog.push("createConnState");
    return {};
  },
  onConnect: () => {
    hookLog.push("onConnect");
  },
  onDisconnect: () => {
    hookLog.push("onDisconnect");
  },
  onRequest: (c) => {
    hookLog.push("onRequest");
    c.state.calls++;
    return new Response("inside");
  },
  onWebSocket: (c, socket) => {
    hookLog.push("onWebSocket");
    c.state.calls++;
    socket.send("inside");
  },
  queues: { inbox: queue<string>({ canPublish: () => true }) },
  events: {
    secret: {
      canSubscribe: (c) => {
        hookLog.push("canSubscribe");
        return (c.conn.params as Params | undefined)?.token === "ok";
      },
    },
  },
  actions: {
    read: (c) => {
      hookLog.push("action");
      c.state.calls++;
      return c.state.secret;
    },
    calls: (c) => c.state.calls,
    announce: (c) => {
      c.broadcast("secret", c.state.secret);
      return true;
    },
    queued: async (c) => (await c.queue.tryNext({ names: ["inbox"] }))?.body ?? null,
  },
});

/** `hold` waits until `open` is called (then and after, it returns at once); `stats` counts the holds. */
export const gate = actor({
  createVars: () => ({ open: false, waiting: [] as Array<() => void>, active: 0, maxActive: 0, done: 0 }),
  actions: {
    hold: async (c, tag: unknown) => {
      const v = c.vars;
      v.active++;
      v.maxActive = Math.max(v.maxActive, v.active);
      if (!v.open) await new Promise<void>((resolve) => v.waiting.push(resolve));
      v.active--;
      v.done++;
      return tag;
    },
    open: (c) => {
      c.vars.open = true;
      for (const resolve of c.vars.waiting.splice(0)) resolve();
    },
    stats: (c) => ({ active: c.vars.active, maxActive: c.vars.maxActive, waiting: c.vars.waiting.length, done: c.vars.done }),
  },
});

export const actors = { store, vault, gate };
export type ReliabilityRegistry = ReturnType<typeof makeRegistry>;

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
  readonly registry: ReliabilityRegistry;
  restart(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Serves the actors on 127.0.0.1 (a free port) over SQLite in a temporary folder. */
export async function serve(extra: Partial<RegistryConfig<typeof actors>> = {}): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), "troupe-rel-"));
  const registry = makeRegistry(join(dir, "troupe.db"), extra);
  let server = await registry.serve({ port: 0 });
  const port = server.port;
  return {
    get url() {
      return server.url;
    },
    registry,
    async restart() {
      await server.close();
      server = await registry.serve({ port });
    },
    async [Symbol.asyncDispose]() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function encodeBody(value: unknown, encoding: Encoding): Uint8Array | string {
  return encoding === "json" ? JSON.stringify(value) : encodeCbor(value);
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * POSTs an already encoded body (`raw`) or a value, and decodes the reply in the same encoding.
 * Each request has a connection of its own, so that none is reused across a server restart.
 */
export function post(
  url: string,
  body: { value: unknown } | { raw: string | Uint8Array },
  encoding: Encoding,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const data = "raw" in body ? body.raw : encodeBody(body.value, encoding);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent: false, headers: { "x-troupe-encoding": encoding, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const bytes = new Uint8Array(Buffer.concat(chunks));
        try {
          const decoded = encoding === "json" ? JSON.parse(new TextDecoder().decode(bytes)) : decodeCbor(bytes);
          resolve({ status: res.statusCode ?? 0, body: decoded as Record<string, unknown> });
        } catch (error) {
          reject(new Error(`undecodable ${res.statusCode} reply: ${Buffer.from(bytes).toString("hex").slice(0, 200)}`, { cause: error }));
        }
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(data);
  });
}

/** The id of `name`/`key`, created if needed (with the given headers, e.g. a token). */
export async function actorId(served: Served, name: string, key: string[], headers: Record<string, string> = {}): Promise<string> {
  const reply = await post(`${served.url}/actors`, { value: { query: { kind: "getOrCreate", name, key } } }, "json", headers);
  if (typeof reply.body.actorId !== "string") throw new Error(`no actorId: ${JSON.stringify(reply)}`);
  return reply.body.actorId;
}

export function actionUrl(served: Served, name: string, id: string, action: string): string {
  return `${served.url}/actors/${name}/${id}/actions/${action}`;
}

export function connectUrl(served: Served, name: string, id: string): string {
  return `${served.url.replace("http", "ws")}/actors/${name}/${id}/connect`;
}

/** A WebSocket peer on `/connect`, once its `init` message came. */
export async function openPeer(served: Served, name: string, id: string, encoding: Encoding, protocols: string[] = []): Promise<Peer> {
  const peer = new Peer(connectUrl(served, name, id), encoding, protocols);
  const init = await peer.next();
  if (init.type !== "init") throw new Error(`expected init, got ${JSON.stringify(init)}`);
  return peer;
}

/** CBOR bytes of `[x, x]` where x is one shared array, built with tags 28 (shareable) and 29 (sharedref). */
export function cborShared(depth: number): Uint8Array {
  // Each level: [28([...level below...]), 29(n)] refers to its first element twice.
  const bytes: number[] = [];
  for (let i = 0; i < depth; i++) bytes.push(0x82, 0xd8, 0x1c);
  bytes.push(0x80);
  for (let i = depth - 1; i >= 0; i--) bytes.push(0xd8, 0x1d, i);
  return new Uint8Array(bytes);
}

/** CBOR bytes of an array that contains itself: 28([29(0)]). */
export const CBOR_CYCLE = new Uint8Array([0xd8, 0x1c, 0x81, 0xd8, 0x1d, 0x00]);

/** CBOR bytes of a map with these string keys and already encoded values (which may hold any tag). */
export function cborMap(entries: Array<[string, Uint8Array | unknown]>): Uint8Array {
  const parts = entries.flatMap(([k, v]) => [...encodeCbor(k), ...(v instanceof Uint8Array ? v : encodeCbor(v))]);
  return new Uint8Array([0xa0 | entries.length, ...parts]);
}

/** CBOR bytes of the action message `{ type, id, name, args: [<arg>] }` around an encoded argument. */
export function cborAction(id: number, name: string, arg: Uint8Array): Uint8Array {
  return cborMap([
    ["type", "action"],
    ["id", id],
    ["name", name],
    ["args", new Uint8Array([0x81, ...arg])],
  ]);
}

/** CBOR bytes of `{ args: [<arg>] }`, an HTTP action body around an encoded argument. */
export function cborArgsBody(arg: Uint8Array): Uint8Array {
  return cborMap([["args", new Uint8Array([0x81, ...arg])]]);
}

/** JSON text of an array nested `levels` deep. */
export function deepJson(levels: number): string {
  return `${"[".repeat(levels)}0${"]".repeat(levels)}`;
}
