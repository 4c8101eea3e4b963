// The network client driver: HTTP for resolution, stateless calls and raw requests, one
// WebSocket per connection. Browser-safe: only fetch, WebSocket and the protocol modules.

import { ActorError } from "../base/errors.ts";
import type { Encoding } from "../protocol/wire.ts";
import { actorPath, encodeParams, ROUTES, SUBPROTOCOLS } from "../protocol/wire.ts";
import type { BackoffOptions } from "./backoff.ts";
import type { ActorQuery, CallOptions, ClientDriver, ConnListener, DriverConn, KeyQuery, SendOptions, SendResult } from "./driver.ts";
import { baseHeaders, type HttpSettings, postMessage, send } from "./http.ts";
import { paramsFor } from "./params.ts";
import { RemoteConn, type WebSocketConstructor } from "./remote-conn.ts";

export interface ClientOptions {
  /** Wire encoding: "cbor" (default; keeps Map, Set, Date, bigint, bytes) or "json". */
  encoding?: Encoding;
  /** Extra HTTP headers (WebSockets cannot carry headers in browsers; use `token` or params). */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** Sent as `Authorization: Bearer <token>`; actors read it from `c.request`. */
  token?: string;
  /** Params for handles that set none, computed for every call and (re)connection. */
  getParams?: (actor: { name: string; key?: string[]; actorId?: string }) => unknown;
  /** WebSocket implementation; default the global one (in Node 20, troupe/client passes ws). */
  WebSocket?: WebSocketConstructor;
  /** fetch implementation; default the global one. */
  fetch?: typeof fetch;
  /** Reconnect delays after an unexpected close. */
  reconnect?: BackoffOptions;
}

export class RemoteDriver implements ClientDriver {
  readonly #settings: HttpSettings;
  readonly #options: ClientOptions;

  constructor(endpoint: string, options: ClientOptions = {}) {
    const url = new URL(endpoint); // throws early on a malformed endpoint
    const headers = options.headers;
    this.#options = options;
    this.#settings = {
      endpoint: url.href.replace(/\/$/, ""),
      encoding: options.encoding ?? "cbor",
      headers: typeof headers === "function" ? headers : () => headers ?? {},
      token: options.token,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    };
  }

  async resolve(query: ActorQuery, options: CallOptions): Promise<string> {
    if (query.kind === "id") return query.actorId;
    return this.#resolve(query, await paramsFor(this.#withClientParams(query, options)), options.signal);
  }

  /** A key lookup carries the params, for the actor's onBeforeCreate. */
  async #resolve(query: ActorQuery, params: unknown, signal?: AbortSignal): Promise<string> {
    if (query.kind === "id") return query.actorId;
    const reply = await postMessage(this.#settings, ROUTES.actors, { query }, params, signal);
    if (typeof reply.actorId !== "string") throw new ActorError("client", "malformed_response", "The server's reply has no actorId.");
    return reply.actorId;
  }

  async action(query: ActorQuery, name: string, args: unknown[], options: CallOptions): Promise<unknown> {
    const params = await paramsFor(this.#withClientParams(query, options));
    const actorId = await this.#resolve(query, params, options.signal);
    const path = actorPath(query.name, actorId, `actions/${encodeURIComponent(name)}`);
    const reply = await postMessage(this.#settings, path, { args }, params, options.signal);
    return reply.output;
  }

  async resolveAndCall(
    query: KeyQuery,
    name: string,
    args: unknown[],
    options: CallOptions,
  ): Promise<{ actorId: string; output: unknown }> {
    const params = await paramsFor(this.#withClientParams(query, options));
    const reply = await postMessage(this.#settings, ROUTES.actors, { query, action: name, args }, params, options.signal);
    if (typeof reply.actorId !== "string") throw new ActorError("client", "malformed_response", "The server's reply has no actorId.");
    return { actorId: reply.actorId, output: reply.output };
  }

  async send(query: ActorQuery, name: string, body: unknown, options: SendOptions & CallOptions): Promise<SendResult | undefined> {
    const params = await paramsFor(this.#withClientParams(query, options));
    const actorId = await this.#resolve(query, params, options.signal);
    const { wait, timeout, idempotencyKey } = options;
    const path = actorPath(query.name, actorId, `queue/${encodeURIComponent(name)}`);
    const reply = await postMessage(this.#settings, path, { body, options: { wait, timeout, idempotencyKey } }, params, options.signal);
    return reply.result as SendResult | undefined;
  }

  connect(query: ActorQuery, options: CallOptions, listener: ConnListener): DriverConn {
    return new RemoteConn(
      {
        settings: this.#settings,
        WebSocket: this.#webSocketClass(),
        query,
        options: this.#withClientParams(query, options),
        resolve: (q, params) => this.#resolve(q, params),
        backoff: this.#options.reconnect ?? {},
      },
      listener,
    );
  }

  async fetch(query: ActorQuery, path: string, init: RequestInit | undefined, options: CallOptions): Promise<Response> {
    const params = await paramsFor(this.#withClientParams(query, options));
    const actorId = await this.#resolve(query, params, options.signal);
    const headers = baseHeaders(this.#settings, params);
    for (const [name, value] of new Headers(init?.headers)) headers.set(name, value);
    const url = `${this.#settings.endpoint}${actorPath(query.name, actorId, "request")}${path}`;
    return send(this.#settings, url, { ...init, headers, signal: init?.signal ?? options.signal });
  }

  async webSocket(query: ActorQuery, path: string, protocols: string[], options: CallOptions): Promise<WebSocket> {
    const params = await paramsFor(this.#withClientParams(query, options));
    const actorId = await this.#resolve(query, params, options.signal);
    const all = [...protocols, SUBPROTOCOLS.version];
    if (params !== undefined) all.push(`${SUBPROTOCOLS.params}${encodeParams(params)}`);
    if (this.#settings.token !== undefined) all.push(`${SUBPROTOCOLS.token}${encodeParams(this.#settings.token)}`);
    const base = this.#settings.endpoint.replace(/^http/, "ws");
    const WebSocketClass = this.#webSocketClass();
    return new WebSocketClass(`${base}${actorPath(query.name, actorId, "websocket")}${path === "/" ? "" : path}`, all);
  }

  async dispose(): Promise<void> {}

  /** The client-wide getParams applies to handles that set no params of their own. */
  #withClientParams(query: ActorQuery, options: CallOptions): CallOptions {
    const getParams = this.#options.getParams;
    if (!getParams || options.params !== undefined || options.getParams !== undefined) return options;
    const target = query.kind === "id" ? { name: query.name, actorId: query.actorId } : { name: query.name, key: query.key };
    return { ...options, getParams: () => getParams(target) };
  }

  #webSocketClass(): WebSocketConstructor {
    const found = this.#options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!found) {
      throw new ActorError(
        "feature",
        "unsupported",
        "No WebSocket implementation: pass { WebSocket } to createClient (e.g. from the ws package).",
      );
    }
    return found;
  }
}
