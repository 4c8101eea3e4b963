// `registry.serve()`: the HTTP app and the WebSocket routes on one Node server (@hono/node-server
// + ws), with a graceful close that lets in-flight work finish and saves every actor.

import { type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
// Under Node, cbor-x decodes strings faster with its native extractor; loading the package root
// turns it on for the encoder base/cbor.ts shares (the package entry itself loads no native module).
import "cbor-x";
import type { ActorHost } from "../../host/host.ts";
import { CLOSE_CODES } from "../../protocol/wire.ts";
import { acceptSocket } from "../accept.ts";
import type { SocketContext } from "../connection.ts";
import type { TransportOptions } from "../options.ts";
import { routeUpgrade, selectProtocol } from "../upgrade.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { webRequest } from "./web-request.ts";
import { WsSocket } from "./ws-socket.ts";

export interface ServeOptions {
  /** Default 6420; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface TroupeServer {
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** Stops accepting, lets in-flight actions finish, saves every actor, then closes connections. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface ServerParts {
  app: Hono;
  host: ActorHost;
  options: TransportOptions;
  logger: Logger;
  /** Drains and stops the actors (the registry's shutdown). */
  shutdown: () => Promise<void>;
}

export const DEFAULT_PORT = 6420;
export const DEFAULT_HOST = "127.0.0.1";
/** Frames this far over the soft limit are refused by ws itself, without being buffered. */
const HARD_LIMIT_FACTOR = 4;
const HEARTBEAT_MS = 15_000;
const CLOSE_WAIT_MS = 2_000;

export async function startServer(parts: ServerParts, serve: ServeOptions = {}): Promise<TroupeServer> {
  const { app, host, options, logger } = parts;
  const bindHost = serve.host ?? DEFAULT_HOST;
  const server = createAdaptorServer({ fetch: app.fetch, hostname: bindHost }) as Server;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxIncomingMessageSize * HARD_LIMIT_FACTOR,
    handleProtocols: (offered) => selectProtocol(offered) ?? false,
  });
  const inflight = new Set<Promise<unknown>>();
  const ctx: SocketContext = {
    host,
    options,
    logger,
    track: (work) => {
      inflight.add(work);
      void work.finally(() => inflight.delete(work));
    },
  };
  let closing: Promise<void> | undefined;
  const heartbeat = startHeartbeat(wss, HEARTBEAT_MS);

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const request = webRequest(req);
    if (!request) return refuseUpgrade(socket, 400);
    const route = routeUpgrade(request, options.cors, closing !== undefined);
    if ("status" in route) return refuseUpgrade(socket, route.status);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // ws reports protocol violations (e.g. a frame over maxPayload) here, then closes the socket.
      ws.on("error", (error) => logger.debug({ err: error }, "websocket error"));
      heartbeat.watch(ws);
      acceptSocket(new WsSocket(ws), request, route.target, ctx);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(serve.port ?? DEFAULT_PORT, bindHost, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  const close = async () => {
    const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    await parts.shutdown();
    // Replies of actions that finished during the drain go out first; actions cut off by the
    // grace period never reply, so they are not waited for long.
    await withDeadline(Promise.allSettled([...inflight]), CLOSE_WAIT_MS, () => {});
    const socketsClosed = [...wss.clients].map(
      (ws) =>
        new Promise<void>((resolve) => {
          ws.once("close", () => resolve());
          ws.close(CLOSE_CODES.goingAway, "server shutting down");
        }),
    );
    await withDeadline(Promise.all(socketsClosed), CLOSE_WAIT_MS, () => {
      for (const ws of wss.clients) ws.terminate();
    });
    heartbeat.stop();
    server.closeIdleConnections();
    await withDeadline(httpClosed, CLOSE_WAIT_MS, () => server.closeAllConnections());
    await httpClosed;
  };

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: address.address,
    close: () => (closing ??= close()),
    [Symbol.asyncDispose]: () => (closing ??= close()),
  };
}

function refuseUpgrade(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
}

/** Waits for `work` at most `ms`; past that, runs `onLate` (which must make `work` settle, if anything). */
async function withDeadline(work: Promise<unknown>, ms: number, onLate: () => void): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  const first = await Promise.race([work, late]);
  clearTimeout(timer);
  if (first === "late") onLate();
}
