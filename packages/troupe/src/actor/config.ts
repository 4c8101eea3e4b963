// The shape of `actor({...})`: state, vars, actions and lifecycle hooks, typed from the definition.

import type { Logger } from "pino";
import type { StandardSchemaV1 } from "../base/standard-schema.ts";
import type { ActionContext, ActorContext } from "./context.ts";
import type { Conn } from "./conn.ts";
import type { EventDefinition } from "./events.ts";
import type { ActorOptions } from "./options.ts";

/** An action: receives the context and the caller's arguments. */
// biome-ignore lint/suspicious/noExplicitAny: `any` lets unannotated action arguments stay permissive, as in a plain function.
export type ActionFn<Ctx> = (c: Ctx, ...args: any[]) => unknown;

/** Actions, nested objects of actions allowed (called by dotted name). */
export interface ActionTree<Ctx> {
  [name: string]: ActionFn<Ctx> | ActionTree<Ctx>;
}

export type MaybePromise<T> = T | Promise<T>;

/** Standard Schema validators of actions' argument tuples, nested like the actions or by dotted name. */
export interface SchemaTree {
  [name: string]: StandardSchemaV1 | SchemaTree;
}

/** What `onBeforeCreate` knows of the actor a caller asks for: nothing of it exists or runs yet. */
export interface CreateGuardContext {
  readonly name: string;
  readonly key: string[];
  readonly log: Logger;
}

/**
 * The request `onBeforeCreate` judges. `input` and `params` are the caller's, not yet validated by
 * anything: they are `unknown` so that the guard checks them (and so that the actor's input and
 * params types are still inferred from `createState` and the connection hooks).
 */
export interface CreateGuardRequest {
  /** `get` and `getOrCreate` are guarded whether or not the actor exists, so a refusal reveals nothing. */
  kind: "get" | "getOrCreate" | "create";
  key: string[];
  /** The creation input (undefined for `get`). */
  input: unknown;
  /** The caller's connection params (from `params` / `getParams`). */
  params: unknown;
  /** The HTTP request of a network caller; undefined in-process (your own code, `c.client()`). */
  request: Request | undefined;
}

/**
 * The core's keys of `actor({...})`; features add theirs (`queues`, `run`, `db`, ...) to this
 * interface from their own folders. Q and DB are the slots of the queue and database types.
 *
 * Hooks that produce a type (createState, createVars, createConnState) get a context that does
 * not mention that type, so TypeScript can infer it from what they return.
 */
export interface ActorConfig<S, CP, CS, V, I, A, Q = {}, DB = undefined> {
  state?: S;
  createState?: (c: ActorContext<undefined, unknown, unknown, unknown, {}, DB>, input: I) => MaybePromise<S>;
  vars?: V;
  createVars?: (c: ActorContext<S, unknown, unknown, undefined, {}, DB>) => MaybePromise<V>;
  connState?: CS;
  createConnState?: (c: ActorContext<S, unknown, unknown, V>, params: CP) => MaybePromise<CS>;
  /** Intersected with the tree type so `c` is typed in each action while A keeps every signature. */
  actions?: A & ActionTree<ActionContext<S, CP, CS, V, Q, DB>>;
  /**
   * Guards every lookup by key (`get`, `getOrCreate`, `create`) before it reads or creates
   * anything: throwing (e.g. `forbiddenError()`) refuses it, and nothing is stored or run.
   */
  onBeforeCreate?: (c: CreateGuardContext, request: CreateGuardRequest) => MaybePromise<void>;
  onCreate?: (c: ActorContext<S, CP, CS, V, Q, DB>, input: I) => MaybePromise<void>;
  onWake?: (c: ActorContext<S, CP, CS, V, Q, DB>) => MaybePromise<void>;
  onSleep?: (c: ActorContext<S, CP, CS, V, Q, DB>) => MaybePromise<void>;
  onDestroy?: (c: ActorContext<S, CP, CS, V, Q, DB>) => MaybePromise<void>;
  /** Runs after state changes, at most once per tick; must not write `c.state`. */
  onStateChange?: (c: ActorContext<S, CP, CS, V, Q, DB>, newState: S) => void;
  /** Validates a new connection's params; throwing rejects the connection with that error. */
  onBeforeConnect?: (c: ActorContext<S, unknown, unknown, V>, params: CP) => MaybePromise<void>;
  onConnect?: (c: ActorContext<S, CP, CS, V, Q, DB>, conn: Conn<CP, CS>) => MaybePromise<void>;
  onDisconnect?: (c: ActorContext<S, CP, CS, V, Q, DB>, conn: Conn<CP, CS>) => MaybePromise<void>;
  /** Rewrites an action's output before it is returned. */
  onBeforeActionResponse?: (c: ActorContext<S, CP, CS, V, Q, DB>, name: string, args: unknown[], output: unknown) => MaybePromise<unknown>;
  /** Answers raw HTTP requests sent with `handle.fetch(path, init)`; the path is relative to the actor. */
  onRequest?: (c: ActorContext<S, CP, CS, V, Q, DB>, request: Request) => MaybePromise<Response>;
  /** Takes raw WebSockets opened with `handle.webSocket(path)`; `c.request` is the upgrade request. */
  onWebSocket?: (c: ActorContext<S, CP, CS, V, Q, DB>, websocket: WebSocket) => MaybePromise<void>;
  /** Declared events; a declared event's `canSubscribe` decides who may subscribe to it. */
  events?: Record<string, EventDefinition>;
  /**
   * A Standard Schema (Zod, Valibot, ...) per action for its argument tuple, checked before the
   * action runs: a failure is `actor.validation_error` and the action does not run.
   */
  actionInputSchemas?: SchemaTree;
  /** A Standard Schema for connection params, checked before `onBeforeConnect` (`actor.validation_error`). */
  connParamsSchema?: StandardSchemaV1;
  /** Type-only: names the state, params, connection state, vars, input and database types. */
  types?: { state?: S; connParams?: CP; connState?: CS; vars?: V; input?: I; database?: DB };
  /** RivetKit's custom inspector tabs: accepted and ignored, with a warning. */
  inspector?: unknown;
  options?: ActorOptions;
}

/** Config keys whose value must be a function when present. */
export const FUNCTION_KEYS = [
  "createState",
  "createVars",
  "createConnState",
  "onBeforeCreate",
  "onCreate",
  "onWake",
  "onSleep",
  "onDestroy",
  "onStateChange",
  "onBeforeConnect",
  "onConnect",
  "onDisconnect",
  "onBeforeActionResponse",
  "onRequest",
  "onWebSocket",
] as const;

/** The core's top-level keys of `actor()`; features add their own. */
export const CORE_CONFIG_KEYS: readonly string[] = [
  "state",
  "vars",
  "connState",
  "actions",
  ...FUNCTION_KEYS,
  "events",
  "actionInputSchemas",
  "connParamsSchema",
  "types",
  "options",
];

/** RivetKit's keys of `actor()` that have no meaning here, each with the reason its warning gives. */
export const IGNORED_CONFIG_KEYS = {
  inspector: "custom inspector tabs are not supported; the inspector is set up on setup() (docs/inspector.md)",
} as const;
