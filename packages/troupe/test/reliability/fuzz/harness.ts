// Runs fuzz cases against a real server and checks what must always hold: every request gets an
// answer in time, never a 5xx, always a well-formed typed error; a WebSocket session never gets an
// internal error and stays usable unless the protocol closed it with a typed code. (The run, in
// run.ts, adds: no unhandled rejection or uncaught exception, and a heap that ends where it began.)

import { request } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { actor, setup } from "troupe";
import { WebSocket } from "ws";
import { decodeCbor, encodeCbor } from "../../../src/base/cbor.ts";
import { type Encoding, hookLog, post, vault } from "../actors.ts";
import { type Body, encodeBody, type HttpCase, type WsCase } from "./inputs.ts";

const REPLY_TIMEOUT_MS = 10_000;
const MAX_KEYS = 50;

/** The fuzz target: every action takes any value; nothing it does may fail with a 500. */
const toy = actor({
  state: { value: null as unknown, m: {} as Record<string, unknown> },
  createVars: () => ({ last: undefined as unknown }),
  onRequest: async (_c, req) => new Response(`echo:${(await req.text()).length}`),
  onWebSocket: (_c, socket) => socket.addEventListener("message", (event) => socket.send(event.data as string)),
  actions: {
    set: (c, value: unknown) => {
      c.state.value = value;
      return true;
    },
    get: (c) => c.state.value,
    /** Hands back the previous call's arguments too: what a CBOR caller sent reaches the next caller, maybe over JSON. */
    echo: (c, ...args: unknown[]) => {
      const previous = c.vars.last;
      c.vars.last = args;
      return [args, previous];
    },
    setKey: (c, key: unknown, value: unknown) => {
      const keys = Object.keys(c.state.m);
      if (keys.length >= MAX_KEYS) delete c.state.m[keys[0]!];
      c.state.m[text(key)] = value;
      return true;
    },
    getM: (c) => c.state.m,
    broadcast: (c, ...args: unknown[]) => {
      c.broadcast("ev", ...args);
      return args.length;
    },
    kv: async (c, key: unknown, value: unknown) => {
      await c.kv.put(`k${text(key).slice(0, 100)}`, text(value).slice(0, 1000));
      return c.kv.get(`k${text(key).slice(0, 100)}`);
    },
  },
});

/** A string for any value a client sent: `String(x)` throws for an object whose `toString` is not a function. */
function text(value: unknown): string {
  return typeof value === "string" ? value : Object.prototype.toString.call(value);
}

/** The fuzz target beside the guarded actor of the reliability tests, over SQLite at `path`. */
export function fuzzRegistry(path: string) {
  return setup({
    use: { toy, vault: vault },
    storage: { driver: "sqlite", path },
    logging: { level: process.env.TROUPE_LOG_LEVEL ?? "silent" },
  });
}

export interface Tally {
  cases: number;
  requests: number;
  frames: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  closes: Record<string, number>;
  failures: string[];
}

/** The guarded actor logs its hooks for other tests; a long run keeps none of it. */
export function forgetHooks(): void {
  hookLog.length = 0;
}

export function newTally(): Tally {
  return { cases: 0, requests: 0, frames: 0, byStatus: {}, byCode: {}, closes: {}, failures: [] };
}

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

/** Substitutes the live actors' ids for `{toy}` and `{vault}`. */
export function withIds(path: string, ids: { toy: string; vault: string }): string {
  return path.replaceAll("{toy}", ids.toy).replaceAll("{vault}", ids.vault);
}

interface RawReply {
  status: number;
  contentType: string;
  bytes: Uint8Array;
}

function send(url: string, method: string, headers: Record<string, string>, data: string | Uint8Array | undefined): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false, timeout: REPLY_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), bytes: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${REPLY_TIMEOUT_MS} ms (a hang)`)));
    req.on("error", reject);
    req.end(method === "GET" || method === "HEAD" ? undefined : data);
  });
}

function decodeReply(reply: RawReply): unknown {
  if (reply.contentType.startsWith("application/cbor")) return decodeCbor(reply.bytes);
  if (reply.contentType.startsWith("application/json")) return JSON.parse(new TextDecoder().decode(reply.bytes));
  return undefined;
}

function tryEncode(body: Body | undefined, encoding: Encoding): string | Uint8Array | undefined | null {
  if (body === undefined) return undefined;
  try {
    return encodeBody(body, encoding);
  } catch {
    return null; // a value no client could encode: nothing to send
  }
}

/** One HTTP case; returns what went wrong, if anything. */
export async function runHttpCase(
  base: string,
  ids: { toy: string; vault: string },
  c: HttpCase,
  tally: Tally,
): Promise<string | undefined> {
  const data = tryEncode(c.body, c.encoding);
  if (data === null) return undefined;
  tally.requests++;
  const path = withIds(c.path, ids);
  let reply: RawReply;
  try {
    reply = await send(`${base}${path.startsWith("/") ? path : `/${path}`}`, c.method, c.headers, data);
  } catch (error) {
    return `${c.method} ${path}: ${(error as Error).message}`;
  }
  count(tally.byStatus, String(reply.status));
  if (reply.status >= 500) return `${c.method} ${path}: status ${reply.status} ${new TextDecoder().decode(reply.bytes).slice(0, 300)}`;
  if (reply.status < 400) return undefined;
  let error: unknown;
  try {
    error = decodeReply(reply);
  } catch {
    return `${c.method} ${path}: undecodable ${reply.status} body`;
  }
  const wire = error as { group?: unknown; code?: unknown } | undefined;
  // Node's HTTP parser refuses some requests (e.g. characters it does not take in a path) with a bare 400.
  if (wire === undefined)
    return reply.status === 400 && reply.bytes.length === 0 ? undefined : `${c.method} ${path}: ${reply.status} without a typed error`;
  if (typeof wire.group !== "string" || typeof wire.code !== "string") return `${c.method} ${path}: error without group.code`;
  count(tally.byCode, `${wire.group}.${wire.code}`);
  if (wire.code === "internal_error") return `${c.method} ${path}: internal_error`;
  return undefined;
}

/** One WebSocket session: the frames, then a call that must still be answered (unless the server closed the socket with a typed code). */
export async function runWsCase(base: string, ids: { toy: string; vault: string }, c: WsCase, tally: Tally): Promise<string | undefined> {
  const frames: Array<string | Uint8Array> = [];
  for (const frame of c.frames) {
    const data = tryEncode(frame, c.encoding);
    if (data !== null && data !== undefined) frames.push(data);
  }
  const path = withIds(c.path, ids);
  const raw = path.includes("/websocket/");
  const protocols = [...new Set(["troupe.v1", `troupe.encoding.${c.encoding}`, ...c.protocols])];
  const socket = new WebSocket(`${base.replace("http", "ws")}${path}`, protocols);
  const problems: string[] = [];
  let sentinelAnswered = false;
  const SENTINEL = 2_000_000_000;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on("close", (code, reason) => resolve({ code, reason: String(reason) }));
    socket.on("error", () => {});
  });
  const opened = new Promise<boolean>((resolve) => {
    socket.on("open", () => resolve(true));
    socket.on("unexpected-response", () => resolve(false));
    socket.on("close", () => resolve(false));
  });
  socket.on("message", (data, isBinary) => {
    if (raw) {
      sentinelAnswered ||= String(data) === "sentinel";
      return;
    }
    let message: Record<string, unknown>;
    try {
      message = (isBinary ? decodeCbor(new Uint8Array(data as Buffer)) : JSON.parse(String(data))) as Record<string, unknown>;
    } catch {
      problems.push("an undecodable frame from the server");
      return;
    }
    if (message.type === "error") {
      count(tally.byCode, `${String(message.group)}.${String(message.code)}`);
      if (message.code === "internal_error") problems.push(`internal_error: ${String(message.message)}`);
    }
    if (message.id === SENTINEL) sentinelAnswered = true;
  });
  try {
    if (!(await opened)) return undefined; // refused at the handshake (a bad route or origin): fine
    for (const frame of frames) {
      tally.frames++;
      socket.send(frame);
    }
    const sentinel = raw
      ? "sentinel"
      : c.encoding === "json"
        ? JSON.stringify({ type: "action", id: SENTINEL, name: "getM", args: [] })
        : encodeCbor({ type: "action", id: SENTINEL, name: "getM", args: [] });
    socket.send(sentinel);
    const outcome = await Promise.race([
      closed.then((close) => ({ close })),
      waitFor(() => sentinelAnswered, REPLY_TIMEOUT_MS).then((answered) => ({ answered })),
    ]);
    if ("close" in outcome) {
      count(tally.closes, `${outcome.close.code} ${outcome.close.reason}`);
      // Typed closes only: a refusal (1008 group.code) or an oversized message (1009).
      if (outcome.close.code !== 1008 && outcome.close.code !== 1009)
        problems.push(`closed with ${outcome.close.code} ${outcome.close.reason}`);
      else if (outcome.close.reason.endsWith("internal_error")) problems.push(`closed with ${outcome.close.reason}`);
    } else if (!outcome.answered) {
      problems.push("the connection stopped answering (a hang)");
    }
  } finally {
    socket.terminate();
  }
  return problems.length > 0 ? `WS ${path} ${c.protocols.join(",")}: ${problems.join("; ")}` : undefined;
}

async function waitFor(check: () => boolean, timeout: number): Promise<boolean> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeout) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return true;
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** The heap in use once garbage is collected. */
export function settledHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Live ids of the fuzz targets, the guarded one created with its token. */
export async function targetIds(base: string): Promise<{ toy: string; vault: string }> {
  const resolve = async (name: string, headers: Record<string, string> = {}) =>
    (await post(`${base}/actors`, { value: { query: { kind: "getOrCreate", name, key: ["fuzz"] } } }, "json", headers)).body
      .actorId as string;
  return { toy: await resolve("toy"), vault: await resolve("vault", { authorization: "Bearer ok" }) };
}
