// `registry.serve()`: the HTTP app and the WebSocket routes on one Node server of its own
// (@hono/node-server + ws), with a graceful close that lets in-flight work finish and saves every actor.

import { DEFAULT_PORT } from "../options.ts";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, Hono } from "hono";
import type { Logger } from "pino";
// Under Node, cbor-x decodes strings faster with its native extractor; loading the package root
// turns it on for the encoder base/cbor.ts shares (the package entry itself loads no native module).
import "cbor-x";
import type { Upgrades } from "../upgrades.ts";
import { clusterUpgrades } from "./cluster-upgrade.ts";
import { logUnhandledRejections } from "./rejections.ts";
import { NodeWebSockets, withDeadline } from "./web-sockets.ts";

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
  /** The WebSocket side: answers upgrades, tracks what a close waits for. */
  upgrades: Upgrades;
  logger: Logger;
  /** Drains and stops the actors (the registry's shutdown). */
  shutdown: () => Promise<void>;
}

export const DEFAULT_HOST = "127.0.0.1";
const CLOSE_WAIT_MS = 2_000;

/** The client's IP address as the Node server sees it (the default key of the per-client limits). */
export function nodeClientAddress(c: Context): string | undefined {
  return getConnInfo(c).remote.address;
}

export async function startServer(parts: ServerParts, serve: ServeOptions = {}): Promise<TroupeServer> {
  const { app, upgrades, logger } = parts;
  // One client message, or a promise actor code dropped, must never end the server.
  logUnhandledRejections(logger);
  const bindHost = serve.host ?? DEFAULT_HOST;
  const server = createAdaptorServer({ fetch: app.fetch, hostname: bindHost }) as Server;
  const { basePath, maxIncomingMessageSize } = upgrades.options;
  const sockets = new NodeWebSockets(upgrades.answer, {
    basePath,
    maxIncomingMessageSize,
    logger,
    ownServer: true,
    forward: clusterUpgrades(upgrades),
  });
  server.on("upgrade", sockets.onUpgrade);
  let closing: Promise<void> | undefined;

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
    upgrades.stopAccepting();
    const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
    // A cluster node keeps listening while it drains: the other nodes forward it the calls for the
    // actors it still runs. A lone server stops accepting first.
    const httpClosed = upgrades.host.clusterToken !== undefined ? undefined : stopListening();
    await parts.shutdown();
    // Replies of actions that finished during the drain go out first; actions cut off by the
    // grace period never reply, so they are not waited for long.
    await upgrades.drain(CLOSE_WAIT_MS);
    await sockets.close(CLOSE_WAIT_MS);
    const closed = httpClosed ?? stopListening();
    server.closeIdleConnections();
    await withDeadline(closed, CLOSE_WAIT_MS, () => server.closeAllConnections());
    await closed;
  };

  return {
    url: `http://${urlHost}:${address.port}${basePath}`,
    port: address.port,
    host: address.address,
    close: () => (closing ??= close()),
    [Symbol.asyncDispose]: () => (closing ??= close()),
  };
}
