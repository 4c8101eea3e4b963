// A handle designates one actor (by key, or by id) and calls its actions statelessly.

import { isErrorCode } from "../base/errors.ts";
import { CONN_MEMBERS } from "../protocol/handle-members.ts";
import { withActionProxies } from "./action-proxy.ts";
import { ActorConnImpl } from "./connection.ts";
import type { ActorQuery, CallOptions, ClientDriver, SendOptions, SendResult } from "./driver.ts";
import { queueProxy } from "./queue-proxy.ts";

export class ActorHandleImpl {
  readonly #driver: ClientDriver;
  readonly #query: ActorQuery;
  readonly #params: unknown;
  readonly #getParams: (() => unknown) | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #track: (conn: ActorConnImpl) => () => void;
  #actorId: string | undefined;
  #queue: unknown;

  constructor(driver: ClientDriver, query: ActorQuery, options: CallOptions, track: (conn: ActorConnImpl) => () => void) {
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

  /** Enqueues `body` on the actor's queue `name`; with `{ wait: true }`, resolves with its completion. */
  async send(name: string, body: unknown, options: SendOptions & { signal?: AbortSignal } = {}): Promise<SendResult | undefined> {
    const { signal = this.#signal, ...rest } = options;
    const result = await this.#onActor((query) =>
      this.#driver.send(query, name, body, { ...rest, params: this.#params, getParams: this.#getParams, signal }),
    );
    return options.wait ? result : undefined;
  }

  /** `queue.send(body)` for the default queue, `queue.<name>.send(body)` for the others. */
  get queue(): unknown {
    this.#queue ??= queueProxy((name, body, options) => this.send(name, body, options));
    return this.#queue;
  }

  /** Runs `fn` on the actor's id; a key-based handle follows its key if the actor it found was destroyed. */
  async #onActor<T>(fn: (query: ActorQuery) => Promise<T>): Promise<T> {
    const id = await this.resolve();
    try {
      return await fn({ kind: "id", name: this.#query.name, actorId: id });
    } catch (error) {
      if (this.#query.kind !== "id" && isErrorCode(error, "actor", "not_found")) {
        this.#actorId = undefined;
        const fresh = await this.resolve();
        if (fresh !== id) return fn({ kind: "id", name: this.#query.name, actorId: fresh });
      }
      throw error;
    }
  }

  /** Calls an action by (dotted) name, including one whose name a handle member hides. */
  action(call: { name: string; args?: unknown[]; signal?: AbortSignal }): Promise<unknown> {
    const options = { params: this.#params, getParams: this.#getParams, signal: call.signal ?? this.#signal };
    return this.#onActor((query) => this.#driver.action(query, call.name, call.args ?? [], options));
  }

  connect(params?: unknown): ActorConnImpl {
    let untrack = () => {};
    const options: CallOptions = params === undefined ? { params: this.#params, getParams: this.#getParams } : { params };
    const conn = new ActorConnImpl(this.#driver, this.#query, options, () => untrack());
    untrack = this.#track(conn);
    return withActionProxies(conn, CONN_MEMBERS, (name, args) => conn.action({ name, args }));
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
