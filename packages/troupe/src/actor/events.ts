// Declared events: `events: { name: event<Payload>({ canSubscribe }) }`. Declaring is optional (an
// undeclared name can still be broadcast); a declared event may decide who can subscribe to it.

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
