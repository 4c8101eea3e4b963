// A handle designates one actor (by key, or by id) and calls its actions statelessly.

import { isErrorCode } from "../base/errors.ts";
import { CONN_MEMBERS } from "../protocol/handle-members.ts";
import { withActionProxies } from "./action-proxy.ts";
import { ActorConnImpl } from "./connection.ts";
import type { ActorQuery, CallOptions, ClientDriver, KeyQuery, SendOptions, SendResult } from "./driver.ts";
import { paramsFor } from "./params.ts";
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

  async resolve(options: CallOptions = this.#options()): Promise<string> {
    this.#actorId ??= await this.#driver.resolve(this.#query, options);
    return this.#actorId;
  }

  /** Enqueues `body` on the actor's queue `name`; with `{ wait: true }`, resolves with its completion. */
  async send(name: string, body: unknown, options: SendOptions & { signal?: AbortSignal } = {}): Promise<SendResult | undefined> {
    const { signal = this.#signal, ...rest } = options;
    const result = await this.#onActor(signal, (query, callOptions) => this.#driver.send(query, name, body, { ...rest, ...callOptions }));
    return options.wait ? result : undefined;
  }

  /** `queue.send(body)` for the default queue, `queue.<name>.send(body)` for the others. */
  get queue(): unknown {
    this.#queue ??= queueProxy((name, body, options) => this.send(name, body, options));
    return this.#queue;
  }

  /**
   * Runs `fn` on the actor's id; a key-based handle follows its key if the actor it found was
   * destroyed. The params are computed once per call: the lookup (for onBeforeCreate) and the call get the same.
   */
  async #onActor<T>(signal: AbortSignal | undefined, fn: (query: ActorQuery, options: CallOptions) => Promise<T>): Promise<T> {
    const options: CallOptions = { params: await paramsFor({ params: this.#params, getParams: this.#getParams }), signal };
    const id = await this.resolve(options);
    try {
      return await fn({ kind: "id", name: this.#query.name, actorId: id }, options);
    } catch (error) {
      if (this.#query.kind !== "id" && isErrorCode(error, "actor", "not_found")) {
        this.#actorId = undefined;
        const fresh = await this.resolve(options);
        if (fresh !== id) return fn({ kind: "id", name: this.#query.name, actorId: fresh }, options);
      }
      throw error;
    }
  }

  /** Calls an action by (dotted) name, including one whose name a handle member hides. */
  action(call: { name: string; args?: unknown[]; signal?: AbortSignal }): Promise<unknown> {
    const query = this.#query;
    const driver = this.#driver;
    if (this.#actorId === undefined && (query.kind === "get" || query.kind === "getOrCreate") && driver.resolveAndCall) {
      return this.#resolveAndCall(driver.resolveAndCall.bind(driver), query, call.name, call.args ?? [], call.signal ?? this.#signal);
    }
    return this.#onActor(call.signal ?? this.#signal, (query, options) => this.#driver.action(query, call.name, call.args ?? [], options));
  }

  /** The first call of a key-based handle finds the actor and calls it at once (one request over HTTP). */
  async #resolveAndCall(
    resolveAndCall: NonNullable<ClientDriver["resolveAndCall"]>,
    query: KeyQuery,
    name: string,
    args: unknown[],
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const options: CallOptions = { params: await paramsFor({ params: this.#params, getParams: this.#getParams }), signal };
    const { actorId, output } = await resolveAndCall(query, name, args, options);
    this.#actorId ??= actorId;
    return output;
  }

  connect(params?: unknown): ActorConnImpl {
    let untrack = () => {};
    const options: CallOptions = params === undefined ? { params: this.#params, getParams: this.#getParams } : { params };
    const conn = new ActorConnImpl(this.#driver, this.#query, options, () => untrack());
    untrack = this.#track(conn);
    return withActionProxies(conn, CONN_MEMBERS, (name, args) => conn.action({ name, args }));
  }

  /**
   * A raw HTTP request to the actor's `onRequest`: a path relative to the actor, a URL (its path
   * and query are used), or a Request (its method, headers and body too; `init` overrides them).
   */
  async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    let path: string;
    let request = init;
    if (typeof input === "string") {
      path = input;
    } else {
      const url = new URL(input instanceof Request ? input.url : input);
      path = `${url.pathname}${url.search}`;
      if (input instanceof Request) request = await requestInit(input, init);
    }
    const relative = path.startsWith("/") ? path : `/${path}`;
    return this.#onActor(this.#signal, (query, options) => this.#driver.fetch(query, relative, request, options));
  }

  /** A raw WebSocket to the actor's `onWebSocket`; a key-based handle looks its key up again each time. */
  async webSocket(path = "/", protocols: string | string[] = []): Promise<WebSocket> {
    const list = typeof protocols === "string" ? [protocols] : protocols;
    // A socket that fails to open says nothing of why, so the key is resolved afresh instead.
    if (this.#query.kind !== "id") this.#actorId = undefined;
    return this.#driver.webSocket(await this.#idQuery(), path.startsWith("/") ? path : `/${path}`, list, this.#options());
  }

  /** The URL of the actor's routes on the server: `<url>/request/<path>` reaches its `onRequest`. */
  async getGatewayUrl(): Promise<string> {
    return this.#driver.gatewayUrl(this.#query.name, await this.resolve());
  }

  async #idQuery(): Promise<ActorQuery> {
    return { kind: "id", name: this.#query.name, actorId: await this.resolve() };
  }

  #options(): CallOptions {
    return { params: this.#params, getParams: this.#getParams, signal: this.#signal };
  }
}

/** `init` over what `request` carries (its headers merged under init's). */
async function requestInit(request: Request, init: RequestInit | undefined): Promise<RequestInit> {
  const headers = new Headers(request.headers);
  for (const [name, value] of new Headers(init?.headers)) headers.set(name, value);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return {
    method: request.method,
    body: hasBody ? await request.arrayBuffer() : undefined,
    signal: request.signal,
    ...init,
    headers,
  };
}
