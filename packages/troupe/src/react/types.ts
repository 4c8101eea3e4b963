// The types of troupe/react, learned from the registry type as troupe/client's are.

import type {
  ActorConn,
  ActorEventListener,
  ActorHandle,
  Client,
  ConnStatus,
  DefinitionsOf,
  EventName,
  EventsOf,
  InputOf,
  ParamsOf,
} from "../client/types.ts";
import type { ActorKey } from "../protocol/keys.ts";
import type { ActorRequest } from "./hash.ts";

/** The names of a registry's actors. */
export type ActorName<R> = keyof DefinitionsOf<R> & string;
type DefinitionOf<R, N extends ActorName<R>> = DefinitionsOf<R>[N];

export interface UseActorOptions<R, N extends ActorName<R> = ActorName<R>> {
  /** The actor's name in the registry. */
  name: N;
  /** Its key, `"room-1"` or `["org-1", "room-1"]`; default `[]`. */
  key?: ActorKey;
  /** Connection params (checked by `onBeforeConnect`); different params are a different connection. */
  params?: ParamsOf<DefinitionOf<R, N>>;
  /** The actor's input, if this connection is the one that creates it. */
  createWithInput?: InputOf<DefinitionOf<R, N>>;
  /** Accepted so that RivetKit apps compile; Troupe has no regions and ignores it. */
  createInRegion?: string;
  /** `false` opens no connection (status "idle"); default `true`. */
  enabled?: boolean;
  /** Connect only to an existing actor: a missing one is an `actor.not_found` error, not created. */
  noCreate?: boolean;
}

export interface UseActorResult<R, N extends ActorName<R>> {
  /** The actor's handle (stateless calls, `resolve()`, `fetch`); null until connecting, or when disabled. */
  handle: ActorHandle<DefinitionOf<R, N>> | null;
  /** The shared connection: call actions on it (`connection?.increment(1)`); null when disabled. */
  connection: ActorConn<DefinitionOf<R, N>> | null;
  connStatus: ConnStatus;
  isConnected: boolean;
  /** The last connection error (refused params, a missing actor with `noCreate`); cleared once connected. */
  error: Error | null;
  /** Identifies the shared connection: equal options have equal hashes. */
  hash: string;
  /** The options this component passed. */
  opts: UseActorOptions<R, N>;
  /**
   * A hook: calls `handler` with each `event` the actor sends, for as long as the component is
   * mounted. Typed as `conn.on`: a declared event's name and payload, or any name when none is declared.
   */
  useEvent<K extends EventName<EventsOf<DefinitionOf<R, N>>>>(event: K, handler: ActorEventListener<EventsOf<DefinitionOf<R, N>>, K>): void;
}

export interface TroupeContextOptions {
  /** Which options share a connection; default: equal name, key, params and noCreate. */
  hashFunction?: (options: ActorRequest) => string;
  /** How long (ms) a connection no component uses stays open in case one comes back; default 0 (the next task). */
  cleanupDelay?: number;
}

export interface TroupeContext<R> {
  /** Connects a component to an actor; components passing equal options share one connection. */
  useActor<N extends ActorName<R>>(options: UseActorOptions<R, N>): UseActorResult<R, N>;
  /** The client the hooks use, for calls outside components. */
  readonly client: Client<R>;
}
