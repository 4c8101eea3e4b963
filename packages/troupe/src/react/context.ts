// createTroupeContext: the React hooks bound to one client. useActor shares one connection among
// the components that ask for the same actor with equal options (see actor-cache.ts).

import { useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import { createClient } from "../client/index.ts";
import type { ClientOptions } from "../client/remote-driver.ts";
import type { ActorConnMethods, Client } from "../client/types.ts";
import { type AccessorLookup, ActorCache } from "./actor-cache.ts";
import { hashActorOptions } from "./hash.ts";
import type { ActorName, TroupeContext, TroupeContextOptions, UseActorOptions, UseActorResult } from "./types.ts";

/** Where `troupe dev` and `troupe start` listen by default. */
export const DEFAULT_ENDPOINT = "http://127.0.0.1:6420";

/** Hooks over a new client for the server at `endpoint` (or `{ endpoint, ...clientOptions }`). */
export function createTroupeContext<R>(
  endpoint: string | (ClientOptions & { endpoint?: string }) = DEFAULT_ENDPOINT,
  options: TroupeContextOptions = {},
): TroupeContext<R> {
  const { endpoint: url = DEFAULT_ENDPOINT, ...clientOptions } = typeof endpoint === "string" ? { endpoint } : endpoint;
  return createTroupeContextWithClient(createClient<R>(url, clientOptions), options);
}

/** Hooks over a client of your own (its options, its lifetime). */
export function createTroupeContextWithClient<R>(client: Client<R>, options: TroupeContextOptions = {}): TroupeContext<R> {
  const accessors = client as unknown as Record<string, ReturnType<AccessorLookup>>;
  const cache = new ActorCache((name) => accessors[name]!, options.cleanupDelay ?? 0);
  const hashOf = options.hashFunction ?? hashActorOptions;

  // biome-ignore lint/correctness/noComponentHookFactories: the hooks are made once per context (RivetKit's shape), not per render.
  function useActor<N extends ActorName<R>>(opts: UseActorOptions<R, N>): UseActorResult<R, N> {
    const hash = hashOf(opts);
    const enabled = opts.enabled !== false;
    // biome-ignore lint/correctness/useExhaustiveDependencies: options count only through their hash: equal ones share a store.
    const store = useMemo(() => cache.store(hash, enabled ? opts : undefined), [hash, enabled]);
    const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
    const { connection } = snapshot;
    // biome-ignore lint/correctness/noComponentHookFactories: bound to this connection; a component calls it unconditionally, as any hook.
    function useEvent(event: string, handler: (...args: unknown[]) => void): void {
      useConnectionEvent(connection, event, handler);
    }
    return { ...snapshot, opts, useEvent } as UseActorResult<R, N>;
  }

  return { useActor, client };
}

function useConnectionEvent(connection: ActorConnMethods | null, event: string, handler: (...args: unknown[]) => void): void {
  // The latest handler is called, so a handler that closes over props needs no resubscription.
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => connection?.on(event, (...args) => latest.current(...args)), [connection, event]);
}
