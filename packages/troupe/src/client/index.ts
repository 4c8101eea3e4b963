// `troupe/client`: the typed network client, `createClient<typeof registry>(url)`.
// Browser-safe: nothing in its import graph may use a Node module (a test bundles it to check).

import { createClientFromDriver } from "./client.ts";
import { type ClientConfig, clientConfig } from "./config.ts";
import { type ClientOptions, RemoteDriver } from "./remote-driver.ts";
import type { Client } from "./types.ts";

/**
 * A client for the actors served at `endpoint` (e.g. "http://127.0.0.1:6420"); with no endpoint,
 * TROUPE_ENDPOINT (or RIVET_ENDPOINT) or http://127.0.0.1:6420; or RivetKit's `{ endpoint, ... }`.
 */
export function createClient<R>(endpointOrConfig?: string | ClientConfig, options: ClientOptions = {}): Client<R> {
  const config = clientConfig(endpointOrConfig, options);
  return createClientFromDriver<R>(new RemoteDriver(config.endpoint, config.options));
}

export { ActorError, UserError, isActorError, isErrorCode } from "../base/errors.ts";
export type { Encoding } from "../protocol/wire.ts";
export type { BackoffOptions } from "./backoff.ts";
export type { ClientConfig } from "./config.ts";
export type { ClientOptions } from "./remote-driver.ts";
export type { WebSocketConstructor } from "./remote-conn.ts";
export type {
  ActorAccessor,
  ActorConn,
  ActorConnMethods,
  ActorEventListener,
  ActorHandle,
  ActorHandleMethods,
  Client,
  ConnStatus,
  EventName,
  HandleOptions,
} from "./types.ts";
