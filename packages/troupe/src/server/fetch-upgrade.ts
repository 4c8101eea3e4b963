// WebSockets through the fetch handler itself, where the runtime upgrades from a Request: Deno
// (`Deno.upgradeWebSocket`) and Bun (`server.upgrade`, with `registry.websocket` as the server's
// handlers). Other runtimes need an adapter: node/attach.ts, hono-web-socket.ts.

import type { Hono } from "hono";
import type { SocketHandler } from "./extension.ts";
import { PushedSocket } from "./pushed-socket.ts";
import { isUpgrade } from "./upgrade-answer.ts";
import type { Upgrades } from "./upgrades.ts";

/** The part of Deno's namespace used here (Deno's types are not a dependency). */
interface DenoUpgrade {
  upgradeWebSocket(request: Request, options?: { protocol?: string }): { socket: WebSocket; response: Response };
}

/** The part of a Bun server (the second argument of Bun's fetch) used here. */
export interface BunServer {
  upgrade(request: Request, options: { data: BunSocketData; headers?: Record<string, string> }): boolean;
}

/** The part of Bun's ServerWebSocket used here. */
export interface BunWebSocket {
  readonly data: BunSocketData;
  readonly readyState: number;
  send(data: string | Uint8Array): unknown;
  close(code?: number, reason?: string): void;
  getBufferedAmount?(): number;
}

export interface BunSocketData {
  handler: SocketHandler;
  socket?: PushedSocket;
}

/**
 * The registry's fetch handler: HTTP through `app`, and WebSocket upgrades where the runtime can
 * take them from here. `server` is the second argument Bun gives its fetch (other runtimes: any).
 */
export function fetchHandler(app: Hono, upgrades: Upgrades): (request: Request, server?: unknown) => Promise<Response> {
  return async (request, server) => {
    if (isUpgrade(request) && canUpgradeInFetch(server)) {
      const answer = await upgrades.answer(request);
      if (answer instanceof Response) return answer;
      // Bun ignores what its fetch returns after an upgrade; 101 says what happened.
      if (answer !== undefined) return upgradeInFetch(request, answer, server) ?? new Response(null, { status: 101 });
    }
    return app.fetch(request);
  };
}

/** Whether this runtime can upgrade from the fetch handler: Deno always, Bun when given its server. */
export function canUpgradeInFetch(server: unknown): boolean {
  return denoUpgrade() !== undefined || isBunServer(server);
}

/**
 * Accepts the upgrade in the runtime that received `request`: the handshake's Response in Deno;
 * in Bun, undefined once `server.upgrade` took the request (Bun's fetch then answers nothing).
 */
export function upgradeInFetch(request: Request, handler: SocketHandler, server: unknown): Response | undefined {
  const deno = denoUpgrade();
  if (deno !== undefined) {
    const { socket, response } = deno.upgradeWebSocket(request, denoProtocolOption(request, handler.protocol));
    if (handler.protocol !== undefined) response.headers.set("sec-websocket-protocol", handler.protocol);
    socket.binaryType = "arraybuffer";
    const pushed = new PushedSocket({
      get protocol() {
        return socket.protocol;
      },
      get isOpen() {
        return socket.readyState === WebSocket.OPEN;
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      send: (data) => socket.send(data),
      close: (code, reason) => socket.close(code, reason),
    });
    socket.addEventListener("message", (event) => pushed.received(event.data));
    socket.addEventListener("close", (event) => pushed.ended(event.code, event.reason));
    socket.addEventListener("open", () => handler.open(pushed), { once: true });
    return response;
  }
  const headers = handler.protocol === undefined ? undefined : { "sec-websocket-protocol": handler.protocol };
  if ((server as BunServer).upgrade(request, { data: { handler }, headers })) return undefined;
  return new Response("WebSocket upgrade failed.", { status: 400 });
}

/** Bun's server-wide WebSocket handlers, for `Bun.serve({ fetch, websocket })`. */
export const bunWebSocketHandlers = {
  open(ws: BunWebSocket): void {
    const socket = new PushedSocket({
      get protocol() {
        return ws.data.handler.protocol ?? "";
      },
      get isOpen() {
        return ws.readyState === 1;
      },
      get bufferedAmount() {
        return ws.getBufferedAmount?.() ?? 0;
      },
      send: (data) => void ws.send(data),
      close: (code, reason) => ws.close(code, reason),
    });
    ws.data.socket = socket;
    ws.data.handler.open(socket);
  },
  message(ws: BunWebSocket, message: string | Uint8Array): void {
    ws.data.socket?.received(message);
  },
  close(ws: BunWebSocket, code: number, reason: string): void {
    ws.data.socket?.ended(code, reason);
  },
};

/**
 * The `protocol` option that lets Deno accept `protocol`: Deno checks it against the offered list
 * split at ", " only, and clients such as Node's `ws` separate them with "," alone, so the entry of
 * that list holding it is passed, and the response header is then set to `protocol` itself.
 */
export function denoProtocolOption(request: Request, protocol: string | undefined): { protocol?: string } {
  if (protocol === undefined) return {};
  const entries = (request.headers.get("sec-websocket-protocol") ?? "").split(", ");
  const entry = entries.find((e) => e.split(",").some((p) => p.trim() === protocol));
  return { protocol: entry ?? protocol };
}

function denoUpgrade(): DenoUpgrade | undefined {
  const deno = (globalThis as { Deno?: Partial<DenoUpgrade> }).Deno;
  return typeof deno?.upgradeWebSocket === "function" ? (deno as DenoUpgrade) : undefined;
}

function isBunServer(server: unknown): server is BunServer {
  return typeof (server as BunServer | undefined)?.upgrade === "function" && process.versions.bun !== undefined;
}
