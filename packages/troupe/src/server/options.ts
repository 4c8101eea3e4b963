// Transport settings taken from `setup()`: message size limits and CORS.

import { errors } from "../base/errors.ts";

export interface CorsOptions {
  /** Allowed origins: "*" (default), a list, or a function returning the origin to allow or null. */
  origin?: string | string[] | ((origin: string) => string | null | undefined);
  /** Extra request headers a browser may send (the protocol's own are always allowed). */
  allowHeaders?: string[];
  credentials?: boolean;
  maxAge?: number;
}

export interface TransportConfig {
  /** Largest request body or WebSocket message accepted, in bytes. Default 64 KiB. */
  maxIncomingMessageSize?: number;
  /** Largest response or event sent, in bytes. Default 1 MiB. */
  maxOutgoingMessageSize?: number;
  /** CORS for browsers on other origins; `false` turns it off. Default: any origin, no credentials. */
  cors?: CorsOptions | boolean;
}

export interface TransportOptions {
  maxIncomingMessageSize: number;
  maxOutgoingMessageSize: number;
  cors: CorsOptions | false;
}

export const DEFAULT_MAX_INCOMING = 64 * 1024;
export const DEFAULT_MAX_OUTGOING = 1024 * 1024;

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
    maxIncomingMessageSize: config.maxIncomingMessageSize ?? DEFAULT_MAX_INCOMING,
    maxOutgoingMessageSize: config.maxOutgoingMessageSize ?? DEFAULT_MAX_OUTGOING,
    cors: cors === true ? { origin: "*" } : cors,
  };
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
