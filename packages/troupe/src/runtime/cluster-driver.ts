// The in-process client of a cluster node (`c.client()`, `createClient(registry)`): a call for an
// actor that runs here goes straight to the host; one for an actor that another node runs goes
// through this node's own server, which forwards it there and follows the actor if it moves.

import type { ActorQuery, CallOptions, ClientDriver, ConnListener, DriverConn, SendOptions, SendResult } from "../client/driver.ts";
import { RemoteDriver } from "../client/remote-driver.ts";
import type { ActorHost } from "../host/host.ts";
import type { LocalDriver } from "./local-driver.ts";

export class ClusterDriver implements ClientDriver {
  readonly #local: LocalDriver;
  readonly #host: () => ActorHost;
  readonly #address: () => string;
  #remote: Promise<ClientDriver> | undefined;

  /** `address` is this node's own URL, known once it listens. */
  constructor(local: LocalDriver, host: () => ActorHost, address: () => string) {
    this.#local = local;
    this.#host = host;
    this.#address = address;
  }

  resolve(query: ActorQuery, options: CallOptions): Promise<string> {
    return this.#local.resolve(query, options);
  }

  gatewayUrl(): string {
    return this.#local.gatewayUrl();
  }

  async action(query: ActorQuery, name: string, args: unknown[], options: CallOptions): Promise<unknown> {
    const [driver, byId] = await this.#route(query, options);
    return driver.action(byId, name, args, options);
  }

  async send(query: ActorQuery, name: string, body: unknown, options: SendOptions & CallOptions): Promise<SendResult | undefined> {
    const [driver, byId] = await this.#route(query, options);
    return driver.send(byId, name, body, options);
  }

  async fetch(query: ActorQuery, path: string, init: RequestInit | undefined, options: CallOptions): Promise<Response> {
    const [driver, byId] = await this.#route(query, options);
    return driver.fetch(byId, path, init, options);
  }

  async webSocket(query: ActorQuery, path: string, protocols: string[], options: CallOptions): Promise<WebSocket> {
    return (await this.#remoteDriver()).webSocket(query, path, protocols, options);
  }

  connect(query: ActorQuery, options: CallOptions, listener: ConnListener): DriverConn {
    // Where the actor runs is known only after a lookup: the connection's calls wait for it.
    const inner = this.#route(query, options).then(([driver, byId]) => driver.connect(byId, options, listener));
    inner.catch((error: unknown) => {
      listener.error(error);
      listener.close("connection rejected", false);
    });
    return {
      action: async (name, args) => (await inner).action(name, args),
      send: async (name, body, sendOptions) => (await inner).send(name, body, sendOptions),
      subscribe: (event, subscribed) =>
        void inner.then(
          (conn) => conn.subscribe(event, subscribed),
          () => {},
        ),
      close: async () => (await inner.catch(() => undefined))?.close(),
    };
  }

  async dispose(): Promise<void> {
    const remote = this.#remote;
    this.#remote = undefined;
    await (await remote?.catch(() => undefined))?.dispose();
  }

  /** The driver for the actor `query` names (by id from then on): local when it runs or may start here. */
  async #route(query: ActorQuery, options: CallOptions): Promise<[ClientDriver, ActorQuery]> {
    const actorId = await this.#local.resolve(query, options);
    const byId: ActorQuery = { kind: "id", name: query.name, actorId };
    const placement = await this.#host().place(actorId);
    return [placement.kind === "here" ? this.#local : await this.#remoteDriver(), byId];
  }

  #remoteDriver(): Promise<ClientDriver> {
    // Loaded on demand: only a cluster node that calls actors elsewhere needs ws (under Node 20).
    this.#remote ??= import("../client/node-websocket.ts").then(
      ({ nodeWebSocket }) => new RemoteDriver(this.#address(), { WebSocket: nodeWebSocket() }),
    );
    return this.#remote;
  }
}
