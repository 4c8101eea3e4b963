// Transport settings taken from `setup()`: message size limits, per-client limits and CORS.

import { errors } from "../base/errors.ts";
import { resolveBasePath } from "./base-path.ts";

/** The port a server listens on when none is given (`registry.start()`, `serve()`, the CLI). */
export const DEFAULT_PORT = 6420;

export interface CorsOptions {
  /** Allowed origins: "*" (default), a list, or a function returning the origin to allow or null. */
  origin?: string | string[] | ((origin: string) => string | null | undefined);
  /** Extra request headers a browser may send (the protocol's own are always allowed). */
  allowHeaders?: string[];
  credentials?: boolean;
  maxAge?: number;
}

/** What one client may do at once or per minute; in-process callers are not limited. */
export interface LimitsConfig {
  /** Actors one client may create per minute (a `create`, or a `getOrCreate` that creates). Default 600; `Infinity` turns it off. */
  actorCreatesPerMinute?: number;
  /** Calls (actions, queue sends, subscriptions) one WebSocket connection may have unanswered; past it the server stops reading the socket until replies go out. Default 1024. */
  inFlightPerConnection?: number;
  /** HTTP calls one client may have unanswered; more are refused with 429 `request.too_many_in_flight`. Default 1024. */
  inFlightPerClient?: number;
  /**
   * Who "one client" is. Default: the IP address the server sees (all of `registry.handler`'s
   * callers share one key). Behind a proxy, return e.g. a forwarded address you trust, or a user id.
   */
  clientKey?: (request: Request, address: string | undefined) => string;
}

export interface TransportConfig {
  /**
   * The path the registry is served under when it is mounted in another app, e.g. "/api/troupe";
   * clients are given the URL with it (`http://host/api/troupe`). Default: the root.
   */
  basePath?: string;
  /** Largest request body or WebSocket message accepted, in bytes. Default 64 KiB. */
  maxIncomingMessageSize?: number;
  /** Largest response or event sent, in bytes. Default 1 MiB. */
  maxOutgoingMessageSize?: number;
  /** CORS for browsers on other origins; `false` turns it off. Default: any origin, no credentials. */
  cors?: CorsOptions | boolean;
  limits?: LimitsConfig;
}

export interface ResolvedLimits {
  actorCreatesPerMinute: number;
  inFlightPerConnection: number;
  inFlightPerClient: number;
  clientKey: (request: Request, address: string | undefined) => string;
}

export interface TransportOptions {
  /** "" for the root, else "/segment/..." with no trailing slash. */
  basePath: string;
  maxIncomingMessageSize: number;
  maxOutgoingMessageSize: number;
  cors: CorsOptions | false;
  limits: ResolvedLimits;
}

export const DEFAULT_MAX_INCOMING = 64 * 1024;
export const DEFAULT_MAX_OUTGOING = 1024 * 1024;
export const DEFAULT_LIMITS: ResolvedLimits = {
  actorCreatesPerMinute: 600,
  inFlightPerConnection: 1024,
  inFlightPerClient: 1024,
  clientKey: (_request, address) => address ?? "unknown",
};

export function resolveTransportOptions(config: TransportConfig): TransportOptions {
  for (const key of ["maxIncomingMessageSize", "maxOutgoingMessageSize"] as const) {
    const value = config[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0)) {
      throw errors.config(`${key} must be a positive whole number of bytes, got ${String(value)}.`);
    }
  }
  const cors = config.cors ?? true;
  if (typeof cors !== "boolean" && (typeof cors !== "object" || cors === null)) {
    throw errors.config("cors must be true, false or an options object.");
  }
  return {
    basePath: resolveBasePath(config.basePath),
    maxIncomingMessageSize: config.maxIncomingMessageSize ?? DEFAULT_MAX_INCOMING,
    maxOutgoingMessageSize: config.maxOutgoingMessageSize ?? DEFAULT_MAX_OUTGOING,
    cors: cors === true ? { origin: "*" } : cors,
    limits: resolveLimits(config.limits),
  };
}

function resolveLimits(config: LimitsConfig | undefined): ResolvedLimits {
  if (config === undefined) return DEFAULT_LIMITS;
  if (typeof config !== "object" || config === null) throw errors.config("limits must be an object.");
  const known = ["actorCreatesPerMinute", "inFlightPerConnection", "inFlightPerClient", "clientKey"];
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw errors.config(`Unknown limits key ${unknown.join(", ")}. Known keys: ${known.join(", ")}.`);
  const resolved = { ...DEFAULT_LIMITS };
  for (const key of ["actorCreatesPerMinute", "inFlightPerConnection", "inFlightPerClient"] as const) {
    const value = config[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !(value >= 1) || (!Number.isSafeInteger(value) && value !== Number.POSITIVE_INFINITY)) {
      throw errors.config(`limits.${key} must be a positive whole number or Infinity, got ${String(value)}.`);
    }
    resolved[key] = value;
  }
  if (config.clientKey !== undefined) {
    if (typeof config.clientKey !== "function") throw errors.config("limits.clientKey must be a function.");
    resolved.clientKey = config.clientKey;
  }
  return resolved;
}

/** Whether a browser page from `origin` may open a WebSocket (browsers do not apply CORS to them). */
export function originAllowed(cors: CorsOptions | false, origin: string | undefined): boolean {
  if (origin === undefined || cors === false) return true; // not a browser, or same-origin only by proxy
  const allowed = cors.origin ?? "*";
  if (allowed === "*") return true;
  if (typeof allowed === "string") return allowed === origin;
  if (Array.isArray(allowed)) return allowed.includes(origin);
  return allowed(origin) === origin;
}
