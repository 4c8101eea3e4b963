// `registry.serve()`: the HTTP app and the WebSocket routes on one Node server (@hono/node-server
// + ws), with a graceful close that lets in-flight work finish and saves every actor.

import { type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { createAdaptorServer } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, Hono } from "hono";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
// Under Node, cbor-x decodes strings faster with its native extractor; loading the package root
// turns it on for the encoder base/cbor.ts shares (the package entry itself loads no native module).
import "cbor-x";
import type { ActorHost } from "../../host/host.ts";
import { CLOSE_CODES } from "../../protocol/wire.ts";
import { acceptSocket } from "../accept.ts";
import type { SocketContext } from "../connection.ts";
import { extensionUpgrade, type ServerExtension } from "../extension.ts";
import { forwardedBy, forwardHeaders, MAX_HOPS } from "../forward.ts";
import { originAllowed, type TransportOptions } from "../options.ts";
import type { ClientLimits } from "../client-limits.ts";
import { requestedProtocols, routeUpgrade, selectProtocol } from "../upgrade.ts";
import { forwardUpgrade } from "./forward-upgrade.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { logUnhandledRejections } from "./rejections.ts";
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
  /** Their WebSocket endpoints are served beside the actors' (their HTTP routes are in `app`). */
  extensions?: readonly ServerExtension[];
  /** The per-client limits `app` applies: a connection by key that creates its actor counts against them too. */
  limits?: ClientLimits;
}

export const DEFAULT_PORT = 6420;
export const DEFAULT_HOST = "127.0.0.1";
/** Frames this far over the soft limit are refused by ws itself, without being buffered. */
const HARD_LIMIT_FACTOR = 4;
const HEARTBEAT_MS = 15_000;
const CLOSE_WAIT_MS = 2_000;

/** The client's IP address as the Node server sees it (the default key of the per-client limits). */
export function nodeClientAddress(c: Context): string | undefined {
  return getConnInfo(c).remote.address;
}

export async function startServer(parts: ServerParts, serve: ServeOptions = {}): Promise<TroupeServer> {
  const { app, host, options, logger } = parts;
  // One client message, or a promise actor code dropped, must never end the server.
  logUnhandledRejections(logger);
  const bindHost = serve.host ?? DEFAULT_HOST;
  const server = createAdaptorServer({ fetch: app.fetch, hostname: bindHost }) as Server;
  /** The subprotocol an extension chose for its upgrade. */
  const chosen = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxIncomingMessageSize * HARD_LIMIT_FACTOR,
    handleProtocols: (offered, req) => chosen.get(req) ?? selectProtocol(offered) ?? false,
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

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, open: (socket: WsSocket) => void) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      // ws reports protocol violations (e.g. a frame over maxPayload) here, then closes the socket.
      ws.on("error", (error) => logger.debug({ err: error }, "websocket error"));
      heartbeat.watch(ws);
      open(new WsSocket(ws));
    });

  /** An upgrade the actor routes do not serve, offered to the extensions; 404 when none takes it. */
  const upgradeExtension = async (req: IncomingMessage, socket: Duplex, head: Buffer, request: Request) => {
    if (!originAllowed(options.cors, request.headers.get("origin") ?? undefined)) return refuseUpgrade(socket, 403);
    const answer = await extensionUpgrade(parts.extensions ?? [], request, requestedProtocols(request.headers));
    if (answer === undefined) return refuseUpgrade(socket, 404);
    if (answer instanceof Response) return socket.end(await rawResponse(answer));
    if (answer.protocol !== undefined) chosen.set(req, answer.protocol);
    upgrade(req, socket, head, (ws) => answer.open(ws));
  };

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const request = webRequest(req);
    if (!request) return refuseUpgrade(socket, 400);
    const route = routeUpgrade(request, options.cors, closing !== undefined);
    if ("target" in route) {
      const { limits } = parts;
      const admitCreate = limits && (() => limits.admitCreate(options.limits.clientKey(request, req.socket.remoteAddress)));
      const accept = () => upgrade(req, socket, head, (ws) => acceptSocket(ws, request, route.target, ctx, admitCreate));
      // In a cluster, a socket for an actor that another node runs is joined to that node. A
      // connection by key names its actor only in its first message: it is served here.
      const { actorId } = route.target;
      if (actorId === undefined) return accept();
      const token = host.clusterToken ?? "";
      const from = forwardedBy(request, token);
      host.place(actorId, from !== undefined).then(
        (placement) => {
          if (placement.kind === "here") return accept();
          if ((from?.hops ?? 0) >= MAX_HOPS) return refuseUpgrade(socket, 503);
          const extra = forwardHeaders(token, from, req.socket.remoteAddress);
          forwardUpgrade(req, socket, head, placement.address, extra, (status) => {
            host.placementFailed(actorId);
            refuseUpgrade(socket, status);
          });
        },
        // Refused the usual way, after the handshake, with the error's code as the reason.
        () => accept(),
      );
      return;
    }
    if (route.status !== 404) return refuseUpgrade(socket, route.status);
    upgradeExtension(req, socket, head, request).catch((error: unknown) => {
      logger.error({ err: error }, "websocket upgrade failed");
      refuseUpgrade(socket, 500);
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
    const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
    // A cluster node keeps listening while it drains: the other nodes forward it the calls for the
    // actors it still runs. A lone server stops accepting first.
    const clustered = host.clusterToken !== undefined;
    const httpClosed = clustered ? undefined : stopListening();
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
    const closed = httpClosed ?? stopListening();
    server.closeIdleConnections();
    await withDeadline(closed, CLOSE_WAIT_MS, () => server.closeAllConnections());
    await closed;
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

/** A web Response as the raw HTTP answer to an upgrade request that is refused. */
async function rawResponse(response: Response): Promise<Buffer> {
  const body = Buffer.from(await response.arrayBuffer());
  const head = [`HTTP/1.1 ${response.status} ${response.statusText || STATUS_CODES[response.status] || ""}`];
  response.headers.forEach((value, name) => {
    if (name !== "content-length" && name !== "connection") head.push(`${name}: ${value}`);
  });
  head.push(`content-length: ${body.byteLength}`, "connection: close", "", "");
  return Buffer.concat([Buffer.from(head.join("\r\n")), body]);
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
