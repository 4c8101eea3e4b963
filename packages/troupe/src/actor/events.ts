// Declared events: `events: { name: event<Payload>({ canSubscribe }) }`. Declaring is optional (an
// undeclared name can still be broadcast); a declared event may decide who can subscribe to it,
// and its name and payload type reach `conn.on(...)` on the clients.

import type { ActorContext } from "./context.ts";
import type { MaybePromise } from "./config.ts";

export interface EventDefinition<T = unknown> {
  /** Runs when a connection subscribes (`c.conn` is the subscriber); anything but `true` refuses it. */
  readonly canSubscribe?: (c: ActorContext) => MaybePromise<boolean>;
  /** Type only: the payload's type. */
  readonly payload?: T;
}

export function event<T = unknown>(options: { canSubscribe?: (c: ActorContext) => MaybePromise<boolean> } = {}): EventDefinition<T> {
  return options.canSubscribe ? { canSubscribe: options.canSubscribe } : {};
}

/** An actor's declared events, by name. */
export type EventMap = Record<string, EventDefinition<unknown>>;

/** The payload type of a declared event. */
export type EventPayload<E> = E extends EventDefinition<infer T> ? T : unknown;
