// A handle designates one actor (by key, or by id) and calls its actions statelessly.

import { isErrorCode } from "../errors.ts";
import { withActionProxies } from "./action-proxy.ts";
import { ActorConnImpl } from "./connection.ts";
import type { ActorQuery, CallOptions, ClientDriver } from "./driver.ts";

export class ActorHandleImpl {
  readonly #driver: ClientDriver;
  readonly #query: ActorQuery;
  readonly #params: unknown;
  readonly #getParams: (() => unknown) | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #track: (conn: ActorConnImpl) => () => void;
  #actorId: string | undefined;

  constructor(
    driver: ClientDriver,
    query: ActorQuery,
    options: CallOptions,
    track: (conn: ActorConnImpl) => () => void,
  ) {
    this.#driver = driver;
    this.#query = query;
    this.#params = options.params;
    this.#getParams = options.getParams;
    this.#signal = options.signal;
    this.#track = track;
    if (query.kind === "id") this.#actorId = query.actorId;
  }

  async resolve(): Promise<string> {
    this.#actorId ??= await this.#driver.resolve(this.#query, this.#options());
    return this.#actorId;
  }

  async call(name: string, args: unknown[], signal = this.#signal): Promise<unknown> {
    const id = await this.resolve();
    const options = { params: this.#params, getParams: this.#getParams, signal };
    try {
      return await this.#driver.action({ kind: "id", name: this.#query.name, actorId: id }, name, args, options);
    } catch (error) {
      // A key-based handle follows its key: if the actor it found was destroyed, look again.
      if (this.#query.kind !== "id" && isErrorCode(error, "actor", "not_found")) {
        this.#actorId = undefined;
        const fresh = await this.resolve();
        if (fresh !== id) return this.#driver.action({ kind: "id", name: this.#query.name, actorId: fresh }, name, args, options);
      }
      throw error;
    }
  }

  action(call: { name: string; args?: unknown[]; signal?: AbortSignal }): Promise<unknown> {
    return this.call(call.name, call.args ?? [], call.signal);
  }

  connect(params?: unknown): ActorConnImpl {
    let untrack = () => {};
    const options: CallOptions = params === undefined ? { params: this.#params, getParams: this.#getParams } : { params };
    const conn = new ActorConnImpl(this.#driver, this.#query, options, () => untrack());
    untrack = this.#track(conn);
    return withActionProxies(conn, (name, args) => conn.call(name, args));
  }

  /** A raw HTTP request to the actor's `onRequest`; `input` is a path relative to the actor. */
  async fetch(input: string | URL, init?: RequestInit): Promise<Response> {
    const path = typeof input === "string" ? input : `${input.pathname}${input.search}`;
    return this.#driver.fetch(await this.#idQuery(), path.startsWith("/") ? path : `/${path}`, init, this.#options());
  }

  /** A raw WebSocket to the actor's `onWebSocket`. */
  async webSocket(path = "/", protocols: string | string[] = []): Promise<WebSocket> {
    const list = typeof protocols === "string" ? [protocols] : protocols;
    return this.#driver.webSocket(await this.#idQuery(), path.startsWith("/") ? path : `/${path}`, list, this.#options());
  }

  async #idQuery(): Promise<ActorQuery> {
    return { kind: "id", name: this.#query.name, actorId: await this.resolve() };
  }

  #options(): CallOptions {
    return { params: this.#params, getParams: this.#getParams, signal: this.#signal };
  }
}
