// What `createClient()` accepts: an endpoint URL, nothing (the default endpoint), or RivetKit's
// config object `{ endpoint, encoding, token, headers, ... }`. Browser-safe.

import { checkKeys, warnOnce } from "../base/config-keys.ts";
import type { ClientOptions } from "./remote-driver.ts";

export const DEFAULT_ENDPOINT = "http://127.0.0.1:6420";

/** RivetKit's client config: ours, plus `endpoint` and the keys that only mean something to its engine. */
export interface ClientConfig extends Omit<ClientOptions, "encoding"> {
  /** Where the actors are served. Default: TROUPE_ENDPOINT, RIVET_ENDPOINT or RIVET_ENGINE, else http://127.0.0.1:6420. */
  endpoint?: string;
  /** "bare", RivetKit's default, is not spoken here: it is taken as "cbor", with a warning. */
  encoding?: ClientOptions["encoding"] | "bare";
  namespace?: unknown;
  poolName?: unknown;
  gateway?: unknown;
  getUpgradeWebSocket?: unknown;
  disableMetadataLookup?: unknown;
  maxInputSize?: unknown;
  devtools?: unknown;
}

const OPTION_KEYS = ["endpoint", "encoding", "headers", "token", "getParams", "WebSocket", "fetch", "reconnect"];
const NO_ENGINE = "Troupe has no engine or gateway: the client talks to the server at `endpoint`";
const IGNORED = {
  namespace: NO_ENGINE,
  poolName: NO_ENGINE,
  gateway: NO_ENGINE,
  disableMetadataLookup: NO_ENGINE,
  maxInputSize: "input travels in the request body, not in URLs",
  getUpgradeWebSocket: "pass { WebSocket } instead",
  devtools: "the inspector is served by the server (docs/inspector.md)",
};

/** The endpoint and options of `createClient(endpointOrConfig?, options?)`. */
export function clientConfig(
  endpointOrConfig: string | ClientConfig | undefined,
  options: ClientOptions,
): { endpoint: string; options: ClientOptions } {
  if (typeof endpointOrConfig === "string") return { endpoint: endpointOrConfig, options };
  const { endpoint, encoding, namespace, poolName, gateway, getUpgradeWebSocket, disableMetadataLookup, maxInputSize, devtools, ...rest } =
    endpointOrConfig ?? {};
  if (endpointOrConfig) checkKeys("createClient() option", endpointOrConfig as Record<string, unknown>, OPTION_KEYS, IGNORED);
  if (encoding === "bare")
    warnOnce("client:bare", 'troupe: createClient() encoding "bare" is not spoken here; using "cbor" (same values).');
  const merged: ClientOptions = { ...rest, ...options };
  if (encoding !== undefined) merged.encoding = encoding === "bare" ? "cbor" : encoding;
  return { endpoint: endpoint ?? defaultEndpoint(), options: merged };
}

function defaultEndpoint(): string {
  // `process` is absent in browsers: there the default is the local server.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  return env.TROUPE_ENDPOINT ?? env.RIVET_ENDPOINT ?? env.RIVET_ENGINE ?? DEFAULT_ENDPOINT;
}
