// The context `c` passed to every action and hook: state, vars, identity, events and lifecycle.

import type { Logger } from "pino";
import { ActorError } from "../base/errors.ts";
import type { Conn } from "./conn.ts";
import type { ContextMember, FeaturePlugin, FeatureServices } from "./feature.ts";
import type { ActorInstance } from "./instance.ts";

export interface SaveStateOptions {
  /** Wait until the state is durably written. */
  immediate?: boolean;
  /** Write no later than this many ms from now. */
  maxWait?: number;
}

let instanceOf: (c: ActorContext) => ActorInstance;

/**
 * The context `c`. Features add their members (`c.queue`, `c.db`, ...) to this class from their
 * own folders: to its type by augmenting this interface, to its value through `contextClass`.
 * Q and DB are the slots of the queue and database types.
 */
// biome-ignore lint/correctness/noUnusedVariables: Q and DB are used by the members features add to this class.
export class ActorContext<S = unknown, CP = unknown, CS = unknown, V = unknown, Q = {}, DB = unknown> {
  readonly #instance: ActorInstance;
  readonly #conn: Conn<CP, CS> | undefined;

  static {
    instanceOf = (c) => c.#instance;
  }

  /** @internal */
  constructor(instance: ActorInstance, conn?: Conn<CP, CS>) {
    this.#instance = instance;
    this.#conn = conn;
  }

  get state(): S {
    return this.#instance.state as S;
  }
  set state(value: S) {
    this.#instance.state = value;
  }

  get vars(): V {
    return this.#instance.vars as V;
  }
  set vars(value: V) {
    this.#instance.vars = value;
  }

  get actorId(): string {
    return this.#instance.id;
  }
  get name(): string {
    return this.#instance.name;
  }
  get key(): string[] {
    return [...this.#instance.key];
  }
  get log(): Logger {
    return this.#instance.log;
  }

  /** Live connections of this actor, by id. */
  get conns(): ReadonlyMap<string, Conn<CP, CS>> {
    return this.#instance.conns as ReadonlyMap<string, Conn<CP, CS>>;
  }

  /** The connection that made the current call. */
  get conn(): Conn<CP, CS> {
    if (this.#conn === undefined) {
      throw new ActorError("actor", "invalid_request", "c.conn is only available inside actions and connection hooks.", {
        public: false,
      });
    }
    return this.#conn;
  }

  /**
   * The HTTP request behind the current call or connection (the upgrade request for a WebSocket);
   * in-process, a Request of the route the call would take (docs/auth.md).
   */
  get request(): Request | undefined {
    return this.#conn?.request;
  }

  /** Sends an event to every connection subscribed to it, once the state changes before it are committed. */
  broadcast(name: string, ...args: unknown[]): void {
    this.#instance.broadcast(name, args);
  }

  /** Asks the actor to sleep: it stops after the current work and wakes on the next call. */
  sleep(): void {
    this.#instance.requestStop("sleep");
  }

  /** Destroys the actor: `onDestroy` runs, its data is deleted and its key is freed. */
  destroy(): void {
    this.#instance.requestStop("destroy");
  }

  /** Keeps the actor awake until `promise` settles; returns it. */
  keepAwake<T>(promise: Promise<T>): Promise<T> {
    return this.#instance.keepAwake(promise);
  }

  /** Lets `promise` finish before the actor stops, without keeping it awake. */
  waitUntil(promise: Promise<unknown>): void {
    this.#instance.waitUntil(promise);
  }

  /** Aborts when the actor starts to sleep or is destroyed. */
  get abortSignal(): AbortSignal {
    return this.#instance.abortSignal;
  }
  get aborted(): boolean {
    return this.#instance.abortSignal.aborted;
  }

  /** Saves state now (`immediate`), within `maxWait` ms, or on the usual schedule. */
  saveState(options: SaveStateOptions = {}): Promise<void> {
    return this.#instance.saveState(options);
  }
}

/** The context of an action or connection hook: `c.conn` is the caller's connection. */
export type ActionContext<S = unknown, CP = unknown, CS = unknown, V = unknown, Q = {}, DB = unknown> = ActorContext<S, CP, CS, V, Q, DB>;

/** What a feature may use of the instance behind a context (e.g. a handler given only `c`). */
export function servicesOf(c: ActorContext): FeatureServices {
  return instanceOf(c);
}

const classes = new WeakMap<readonly FeaturePlugin[], typeof ActorContext>();

/** The context class of actors with these features: ActorContext with each feature's members. */
export function contextClass(plugins: readonly FeaturePlugin[]): typeof ActorContext {
  const cached = classes.get(plugins);
  if (cached) return cached;
  const FeatureContext = class extends ActorContext {} as typeof ActorContext;
  for (const plugin of plugins) {
    for (const [name, member] of Object.entries(plugin.context ?? {}) as Array<[string, ContextMember]>) {
      if (name in FeatureContext.prototype) throw new Error(`Two features define the context member "${name}".`);
      Object.defineProperty(FeatureContext.prototype, name, {
        get(this: ActorContext) {
          return member(this, instanceOf(this));
        },
        enumerable: false,
        configurable: true,
      });
    }
  }
  classes.set(plugins, FeatureContext);
  return FeatureContext;
}
