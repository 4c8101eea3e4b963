// The typed client surface, learned from a type-only import of the registry.

import type { EventPayload } from "../actor/events.ts";
import type { DEFAULT_QUEUE, QueueBody, QueueCompletion, QueueName } from "../features/queue/definition.ts";
import type { ConnMember, HandleMember } from "../protocol/handle-members.ts";
import type { ActorKey } from "../protocol/keys.ts";

/** A definition as the client sees it: only its type record matters. */
interface DefinitionShape {
  readonly types: { actions: unknown; input: unknown; connParams: unknown };
}

/** The actor definitions of a registry type, by name. */
export type DefinitionsOf<R> = R extends { readonly definitions: infer D } ? D : Record<string, DefinitionShape>;
type ActionsOf<D> = D extends { readonly types: { actions: infer A } } ? A : never;
export type InputOf<D> = D extends { readonly types: { input: infer I } } ? I : unknown;
export type ParamsOf<D> = D extends { readonly types: { connParams: infer P } } ? P : unknown;
type QueuesOf<D> = D extends { readonly types: { queues: infer Q } } ? Q : {};
export type EventsOf<D> = D extends { readonly types: { events: infer E } } ? E : {};

/** What a send with `{ wait: true }` resolves to. */
export type QueueSendResult<C = unknown> = { status: "completed"; response?: C } | { status: "timedOut" };

export interface QueueSendOptions {
  /** With `wait`: resolve `{ status: "timedOut" }` after this many ms. Default 60 s. */
  timeout?: number;
  /** A repeated send with the same key within the actor's `queueIdempotencyTtl` enqueues nothing. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Sends to one queue: resolves once the message is durably enqueued, or with `wait`, once completed. */
export interface QueueSender<M, C> {
  send(body: M, options: QueueSendOptions & { wait: true }): Promise<QueueSendResult<C>>;
  send(body: M, options?: QueueSendOptions & { wait?: false }): Promise<void>;
}

/** `queue.send(body)` for the default queue; `queue.<name>.send(body)` for a declared queue. */
export type QueueSenders<Q> = QueueSender<QueueBody<Q, typeof DEFAULT_QUEUE>, QueueCompletion<Q, typeof DEFAULT_QUEUE>> &
  ([keyof Q] extends [never]
    ? Record<string, QueueSender<unknown, unknown>>
    : { [N in Exclude<keyof Q & string, "send">]: QueueSender<QueueBody<Q, N>, QueueCompletion<Q, N>> });

/** Queue sends on a handle or a connection. */
export interface QueueMethods<D> {
  /** Enqueues `body` on the actor's queue `name` (waking it); with `wait`, resolves with the completion. */
  send<N extends QueueName<QueuesOf<D>>>(
    name: N,
    body: QueueBody<QueuesOf<D>, N>,
    options: QueueSendOptions & { wait: true },
  ): Promise<QueueSendResult<QueueCompletion<QueuesOf<D>, N>>>;
  send<N extends QueueName<QueuesOf<D>>>(
    name: N,
    body: QueueBody<QueuesOf<D>, N>,
    options?: QueueSendOptions & { wait?: false },
  ): Promise<void>;
  readonly queue: QueueSenders<QueuesOf<D>>;
}

// biome-ignore lint/suspicious/noExplicitAny: matches any context type in the first parameter.
type AnyAction = (c: any, ...args: any[]) => unknown;

/** Each action as the caller sees it: the context argument dropped, the result a promise. */
export type ActionProxies<A> = {
  // biome-ignore lint/suspicious/noExplicitAny: matches any context type in the first parameter.
  [K in Exclude<keyof A, "then">]: A[K] extends (c: any, ...args: infer P) => infer R
    ? (...args: P) => Promise<Awaited<R>>
    : A[K] extends object
      ? ActionProxies<A[K]>
      : never;
};

/** The dotted names of the actions in a tree: "increment", "chat.send". */
export type ActionName<A> = {
  [K in keyof A & string]: A[K] extends AnyAction ? K : A[K] extends object ? `${K}.${ActionName<A[K]>}` : never;
}[keyof A & string];

/** The action at a dotted name. */
type ActionAt<A, N> = N extends keyof A
  ? A[N]
  : N extends `${infer H}.${infer T}`
    ? H extends keyof A
      ? ActionAt<A[H], T>
      : never
    : never;

/** The arguments of the action at a dotted name (any, for an unknown action). */
export type ActionArgs<A, N> = [ActionAt<A, N>] extends [never]
  ? unknown[]
  : ActionAt<A, N> extends AnyAction
    ? DropContext<ActionAt<A, N>>
    : unknown[];
// biome-ignore lint/suspicious/noExplicitAny: matches any context type in the first parameter.
type DropContext<F> = F extends (c: any, ...args: infer P) => unknown ? P : never;

/** The result of the action at a dotted name, awaited (unknown, for an unknown action). */
export type ActionResult<A, N> = [ActionAt<A, N>] extends [never]
  ? unknown
  : ActionAt<A, N> extends (...args: never[]) => infer R
    ? Awaited<R>
    : unknown;

/** The names `action({ name })` takes: the definition's dotted action names, or any name when the definition is not known. */
type ActionNamesOf<D> = unknown extends ActionsOf<D> ? string : ActionName<ActionsOf<D>>;

export interface HandleOptions<P = unknown> {
  /** Connection params, validated by `onBeforeConnect`. */
  params?: P;
  /** Computes the params for every call and every (re)connection, e.g. to refresh a token; wins over `params`. */
  getParams?: () => P | Promise<P>;
  signal?: AbortSignal;
}

export type ConnStatus = "idle" | "connecting" | "connected" | "disconnected";

/** Event names a connection listens to: the declared ones, or any name when the actor declares none. */
export type EventName<E> = [keyof E] extends [never] ? string : keyof E & string;

/** A listener of event `K`: it gets the declared payload, or whatever was broadcast for an undeclared event. */
export type ActorEventListener<E, K> = K extends keyof E ? (payload: EventPayload<E[K]>) => void : (...args: unknown[]) => void;

export interface ActorConnMethods<D = unknown> {
  /** Listens to an event; returns a function that stops listening. */
  on<K extends EventName<EventsOf<D>>>(event: K, listener: ActorEventListener<EventsOf<D>, K>): () => void;
  once<K extends EventName<EventsOf<D>>>(event: K, listener: ActorEventListener<EventsOf<D>, K>): () => void;
  onError(listener: (error: unknown) => void): () => void;
  onOpen(listener: () => void): () => void;
  onClose(listener: (reason: string) => void): () => void;
  onStatusChange(listener: (status: ConnStatus) => void): () => void;
  readonly connStatus: ConnStatus;
  readonly isConnected: boolean;
  /** Resolves once the connection is open. */
  readonly ready: Promise<void>;
  readonly actorId: string | undefined;
  readonly connId: string | undefined;
  /**
   * Calls an action by (dotted) name: the way to reach an action whose name a connection member
   * hides. Typed by name; `args` is typed but not required (the actor checks the count).
   */
  action<N extends ActionNamesOf<D>>(call: { name: N; args?: ActionArgs<ActionsOf<D>, N> }): Promise<ActionResult<ActionsOf<D>, N>>;
  dispose(): Promise<void>;
}

/** A connection: its own members win over actions of the same name (reach those with `action()`). */
export type ActorConn<D> = Omit<ActionProxies<ActionsOf<D>>, ConnMember> & ActorConnMethods<D> & QueueMethods<D>;

export interface ActorHandleMethods<D> {
  /** The id of the actor this handle designates (creating it for getOrCreate). */
  resolve(): Promise<string>;
  /** Opens a connection that receives events. */
  connect(params?: ParamsOf<D>): ActorConn<D>;
  /**
   * Calls an action by (dotted) name: the way to reach an action whose name a handle member hides
   * (`send`, `connect`, `fetch`, `resolve`, ...). Typed by name; `args` is typed but not required.
   */
  action<N extends ActionNamesOf<D>>(call: {
    name: N;
    args?: ActionArgs<ActionsOf<D>, N>;
    signal?: AbortSignal;
  }): Promise<ActionResult<ActionsOf<D>, N>>;
  /** A raw HTTP request to the actor's `onRequest`; the path is relative to the actor. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The URL of the actor's routes on the server (`<url>/request/<path>` reaches `onRequest`). */
  getGatewayUrl(): Promise<string>;
  /** A raw WebSocket to the actor's `onWebSocket` (network clients only). */
  webSocket(path?: string, protocols?: string | string[]): Promise<WebSocket>;
}

/** A handle: its own members win over actions of the same name (reach those with `action()`). */
export type ActorHandle<D> = Omit<ActionProxies<ActionsOf<D>>, HandleMember> & ActorHandleMethods<D> & QueueMethods<D>;

export interface ActorAccessor<D> {
  /** A handle to an existing actor; calls fail with `actor.not_found` if there is none. */
  get(key?: ActorKey, options?: HandleOptions<ParamsOf<D>>): ActorHandle<D>;
  /** A handle that creates the actor on first use, with `createWithInput`. */
  getOrCreate(key?: ActorKey, options?: HandleOptions<ParamsOf<D>> & { createWithInput?: InputOf<D> }): ActorHandle<D>;
  getForId(actorId: string, options?: HandleOptions<ParamsOf<D>>): ActorHandle<D>;
  /** Creates a new actor; fails with `actor.duplicate_key` if the key is taken. */
  create(key?: ActorKey, options?: HandleOptions<ParamsOf<D>> & { input?: InputOf<D> }): Promise<ActorHandle<D>>;
}

export type Client<R> = { [K in keyof DefinitionsOf<R>]: ActorAccessor<DefinitionsOf<R>[K]> } & {
  /** Closes every connection of this client. */
  dispose(): Promise<void>;
};
