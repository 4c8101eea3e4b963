// `registry.serve()`: the HTTP app and the WebSocket routes on one Node server (@hono/node-server
// + ws), with a graceful close that lets in-flight work finish and saves every actor.

import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import type { Logger } from "pino";
import { type WebSocket, WebSocketServer } from "ws";
import type { ActorHost } from "../../host/host.ts";
import { publicWireError } from "../http-messages.ts";
import { originAllowed, type TransportOptions } from "../options.ts";
import { CLOSE_CODES, SUBPROTOCOLS } from "../../protocol/wire.ts";
import { upgradeOptions, upgradeRequest, upgradeTarget, requestedProtocols, type UpgradeTarget } from "../upgrade.ts";
import { closeReason, serveConnection } from "../connection.ts";

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
    // Browsers fail the handshake unless one of the protocols they offered is selected.
    handleProtocols: (offered) => {
      const own = [...offered].find((p) => !p.startsWith("troupe."));
      return own ?? (offered.has(SUBPROTOCOLS.version) ? SUBPROTOCOLS.version : false);
    },
  });
  const inflight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  };
  let closing: Promise<void> | undefined;

  const alive = new WeakSet<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) ws.terminate();
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const accept = (ws: WebSocket, req: IncomingMessage, target: UpgradeTarget) => {
    // ws reports protocol violations (e.g. a frame over maxPayload) here, then closes the socket.
    ws.on("error", (error) => logger.debug({ err: error }, "websocket error"));
    alive.add(ws);
    ws.on("pong", () => alive.add(ws));
    let opts: ReturnType<typeof upgradeOptions>;
    try {
      opts = upgradeOptions(requestedProtocols(req));
    } catch (error) {
      refuse(ws, error);
      return;
    }
    const request = upgradeRequest(req, target, opts.token);
    if (target.kind === "connect") {
      serveConnection(ws, {
        host,
        name: target.name,
        actorId: target.actorId,
        encoding: opts.encoding,
        params: opts.params,
        request,
        options,
        logger,
        track,
      });
      return;
    }
    // A raw socket waits paused until onWebSocket has attached its listeners.
    ws.binaryType = "arraybuffer";
    ws.pause();
    host
      .resolve({ kind: "id", name: target.name, actorId: target.actorId })
      .then((actorId) => host.gateway.webSocket({ actorId, params: opts.params, request }, ws as unknown as globalThis.WebSocket))
      .then(
        () => ws.resume(),
        (error: unknown) => refuse(ws, error),
      );
  };
  const refuse = (ws: WebSocket, error: unknown) => {
    const { wire } = publicWireError(error, logger);
    ws.resume(); // the close handshake needs the client's close frame read
    ws.close(CLOSE_CODES.error, closeReason(`${wire.group}.${wire.code}`));
  };

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = upgradeTarget(req.url);
    const status = closing ? 503 : !target ? 404 : !originAllowed(options.cors, req.headers.origin) ? 403 : 0;
    if (status !== 0 || !target) {
      socket.end(
        `HTTP/1.1 ${status} ${status === 404 ? "Not Found" : status === 403 ? "Forbidden" : "Service Unavailable"}\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, target));
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
    clearInterval(heartbeat);
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
