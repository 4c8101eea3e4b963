// WebSockets through Hono's WebSocket helper, for apps that already use it: the `upgradeWebSocket`
// of @hono/node-ws, hono/bun or hono/deno. The registry answers the upgrade (answerUpgrade); the
// helper only carries the frames.

import type { MiddlewareHandler } from "hono";
import type { UpgradeWebSocket, WSContext } from "hono/ws";
import { denoProtocolOption } from "./fetch-upgrade.ts";
import { PushedSocket } from "./pushed-socket.ts";
import { isUpgrade } from "./upgrade-answer.ts";
import type { Upgrades } from "./upgrades.ts";

/**
 * A Hono handler serving the registry's routes: WebSocket upgrades through `upgradeWebSocket`, any
 * other request through `fetch` (the registry's handler).
 */
export function honoHandler(
  upgrades: Upgrades,
  fetch: (request: Request) => Promise<Response>,
  // biome-ignore lint/suspicious/noExplicitAny: each runtime's helper has its own socket and options types
  upgradeWebSocket: UpgradeWebSocket<any, any>,
): MiddlewareHandler {
  return async (c, next) => {
    if (!isUpgrade(c.req.raw)) return fetch(c.req.raw);
    const answer = await upgrades.answer(c.req.raw);
    if (answer === undefined) return next();
    if (answer instanceof Response) return answer;
    let socket: PushedSocket | undefined;
    const events = {
      onOpen(_event: Event, ws: WSContext) {
        ws.binaryType = "arraybuffer";
        socket = new PushedSocket(sendingSide(ws));
        answer.open(socket);
      },
      onMessage(event: MessageEvent, _ws: WSContext) {
        socket?.received(event.data);
      },
      onClose(event: CloseEvent, _ws: WSContext) {
        socket?.ended(event.code, event.reason);
      },
    };
    // Deno's helper passes the options on to Deno.upgradeWebSocket; node-ws and Bun ignore them and
    // select the client's first protocol, which is the one chosen for Troupe's own clients.
    const response = await upgradeWebSocket(() => events, denoProtocolOption(c.req.raw, answer.protocol))(c, next);
    if (answer.protocol !== undefined && response instanceof Response) response.headers.set("sec-websocket-protocol", answer.protocol);
    return response;
  };
}

function sendingSide(ws: WSContext) {
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
