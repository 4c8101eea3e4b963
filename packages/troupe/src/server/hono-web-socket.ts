// WebSockets through Hono's WebSocket helper, for apps that already use it: the `upgradeWebSocket`
// of @hono/node-ws, hono/bun or hono/deno. The registry answers the upgrade (answerUpgrade); the
// helper only carries the frames.

import type { Context, MiddlewareHandler, Next } from "hono";
import { denoProtocolOption } from "./fetch-upgrade.ts";
import { PushedSocket } from "./pushed-socket.ts";
import { isUpgrade } from "./upgrade-answer.ts";
import type { Upgrades } from "./upgrades.ts";

/** The socket Hono's helper hands to the events (its WSContext), as far as it is used here. */
export interface HonoSocket {
  readonly readyState: number;
  readonly protocol: string | null;
  readonly raw?: unknown;
  binaryType: "blob" | "arraybuffer";
  send(data: string | Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
}

/** The events the registry gives Hono's helper. */
export interface HonoSocketEvents {
  onOpen(event: unknown, ws: HonoSocket): void;
  onMessage(event: { data: unknown }, ws: HonoSocket): void;
  onClose(event: { code: number; reason: string }, ws: HonoSocket): void;
}

/**
 * Hono's `upgradeWebSocket` (from @hono/node-ws, hono/bun or hono/deno), typed by what the registry
 * uses of it: Hono's own types for it need the DOM library, which a server project may not have.
 */
export type HonoUpgradeWebSocket = (
  createEvents: (c: Context) => HonoSocketEvents,
  // Each helper has options of its own; only hono/deno's `protocol` is passed (the others ignore it).
  options?: never,
) => (c: Context, next: Next) => ReturnType<MiddlewareHandler>;

/**
 * A Hono handler serving the registry's routes: WebSocket upgrades through `upgradeWebSocket`, any
 * other request through `fetch` (the registry's handler).
 */
export function honoHandler(
  upgrades: Upgrades,
  fetch: (request: Request) => Promise<Response>,
  upgradeWebSocket: HonoUpgradeWebSocket,
): MiddlewareHandler {
  return async (c, next) => {
    if (!isUpgrade(c.req.raw)) return fetch(c.req.raw);
    const answer = await upgrades.answer(c.req.raw);
    if (answer === undefined) return next();
    if (answer instanceof Response) return answer;
    let socket: PushedSocket | undefined;
    const events: HonoSocketEvents = {
      onOpen(_event, ws) {
        ws.binaryType = "arraybuffer";
        socket = new PushedSocket(sendingSide(ws));
        answer.open(socket);
      },
      onMessage(event) {
        socket?.received(event.data as string | ArrayBuffer | ArrayBufferView | Blob);
      },
      onClose(event) {
        socket?.ended(event.code, event.reason);
      },
    };
    // Deno's helper passes the options on to Deno.upgradeWebSocket; node-ws and Bun ignore them and
    // select the client's first protocol, which is the one chosen for Troupe's own clients.
    const options = denoProtocolOption(c.req.raw, answer.protocol) as never;
    const response = await upgradeWebSocket(() => events, options)(c, next);
    if (answer.protocol !== undefined && response instanceof Response) response.headers.set("sec-websocket-protocol", answer.protocol);
    return response;
  };
}

function sendingSide(ws: HonoSocket) {
  return {
    get protocol() {
      return ws.protocol ?? "";
    },
    get isOpen() {
      return ws.readyState === 1;
    },
    get bufferedAmount() {
      return (ws.raw as { bufferedAmount?: number } | undefined)?.bufferedAmount ?? 0;
    },
    send: (data: string | Uint8Array) => ws.send(data as string | Uint8Array<ArrayBuffer>),
    close: (code?: number, reason?: string) => ws.close(code, reason),
  };
}
