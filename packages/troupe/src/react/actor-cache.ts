// The connections useActor shares: one per distinct options (by hash), counted by its subscribers
// and closed a moment after the last one leaves, so that a remount (React's StrictMode, a route
// change) keeps it. Framework-neutral: it hands React an external store (`useSyncExternalStore`).

import type { ActorConnMethods, ConnStatus } from "../client/types.ts";
import type { ActorKey } from "../protocol/keys.ts";
import type { ActorRequest } from "./hash.ts";

/** What useActor shows of a shared connection; a new object on every change. */
export interface ActorSnapshot {
  readonly handle: unknown;
  readonly connection: ActorConnMethods | null;
  readonly connStatus: ConnStatus;
  readonly isConnected: boolean;
  readonly error: Error | null;
  readonly hash: string;
}

/** A store for `useSyncExternalStore`: subscribing holds the connection, leaving releases it. */
export interface ActorStore {
  subscribe(onChange: () => void): () => void;
  getSnapshot(): ActorSnapshot;
}

/** The part of the typed client the cache uses, untyped (names are checked where the hook is typed). */
interface Accessor {
  get(key: ActorKey | undefined, options: object): { connect(): ActorConnMethods };
  getOrCreate(key: ActorKey | undefined, options: object): { connect(): ActorConnMethods };
}
export type AccessorLookup = (name: string) => Accessor;

export class ActorCache {
  readonly #accessor: AccessorLookup;
  readonly #cleanupDelay: number;
  readonly #entries = new Map<string, CachedActor>();

  constructor(accessor: AccessorLookup, cleanupDelay: number) {
    this.#accessor = accessor;
    this.#cleanupDelay = cleanupDelay;
  }

  /** The store of the connection named by `hash`; without a request (disabled), an idle one that connects nothing. */
  store(hash: string, request: ActorRequest | undefined): ActorStore {
    const pending = idleSnapshot(hash, request === undefined ? "idle" : "connecting", null);
    if (!request) return { subscribe: () => () => {}, getSnapshot: () => pending };
    return {
      subscribe: (onChange) => this.#acquire(hash, request, onChange),
      getSnapshot: () => this.#entries.get(hash)?.snapshot ?? pending,
    };
  }

  /** How many connections the cache holds (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size;
  }

  #acquire(hash: string, request: ActorRequest, onChange: () => void): () => void {
    let entry = this.#entries.get(hash);
    if (!entry) {
      entry = new CachedActor(this.#accessor, hash, request);
      this.#entries.set(hash, entry);
    }
    const held = entry;
    held.cancelCleanup();
    // A wrapper of its own per subscription: the same callback subscribed twice counts twice.
    const subscriber = () => onChange();
    held.subscribers.add(subscriber);
    return () => {
      if (!held.subscribers.delete(subscriber) || held.subscribers.size > 0) return;
      held.scheduleCleanup(this.#cleanupDelay, () => {
        if (this.#entries.get(hash) === held) this.#entries.delete(hash);
      });
    };
  }
}

class CachedActor {
  readonly subscribers = new Set<() => void>();
  snapshot: ActorSnapshot;
  readonly #connection: ActorConnMethods | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(accessor: AccessorLookup, hash: string, request: ActorRequest) {
    const { name, key, params, noCreate, createWithInput } = request;
    let handle: { connect(): ActorConnMethods };
    let connection: ActorConnMethods;
    try {
      const target = accessor(name);
      handle = noCreate
        ? target.get(key, { params })
        : target.getOrCreate(key, createWithInput === undefined ? { params } : { params, createWithInput });
      connection = handle.connect();
    } catch (error) {
      // A bad key (too long, not strings) fails before any connection: the hook shows the error.
      this.snapshot = idleSnapshot(hash, "idle", asError(error));
      return;
    }
    this.#connection = connection;
    this.snapshot = { handle, connection, connStatus: connection.connStatus, isConnected: connection.isConnected, error: null, hash };
    connection.onStatusChange((connStatus) => {
      // An error stays shown until the connection opens again.
      const error = connStatus === "connected" ? null : this.snapshot.error;
      this.#update({ connStatus, isConnected: connStatus === "connected", error });
    });
    connection.onError((error) => this.#update({ error: asError(error) }));
  }

  #update(change: Partial<ActorSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const subscriber of this.subscribers) subscriber();
  }

  cancelCleanup(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Closes the connection after `delay` ms unless a subscriber comes back first. */
  scheduleCleanup(delay: number, forget: () => void): void {
    this.cancelCleanup();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      forget();
      void this.#connection?.dispose();
    }, delay);
  }
}

function idleSnapshot(hash: string, connStatus: ConnStatus, error: Error | null): ActorSnapshot {
  return { handle: null, connection: null, connStatus, isConnected: false, error, hash };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
