// CORS for the app. A preflight (OPTIONS) is answered by hono's middleware. Every other response
// gets its headers after the handler ran: set before (as hono's middleware does), hono rebuilds
// the handler's response around a web stream of its body, which on @hono/node-server costs more
// than the rest of a stateless action call.

import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { CorsOptions } from "./options.ts";

export function corsMiddleware(options: CorsOptions, allowHeaders: string[]): MiddlewareHandler {
  const { origin = "*", credentials, maxAge } = options;
  const preflight = cors({ origin, allowHeaders, credentials, maxAge });
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    await next();
    const headers: Array<[string, string]> = [];
    const allowed = allowedOrigin(origin, c.req.header("origin") ?? "");
    if (allowed) headers.push(["access-control-allow-origin", allowed]);
    if (credentials) headers.push(["access-control-allow-credentials", "true"]);
    try {
      setHeaders(c.res.headers, headers, origin !== "*");
    } catch {
      // Immutable headers (a fetched response returned by onRequest): set them on a copy.
      c.res = new Response(c.res.body, c.res);
      setHeaders(c.res.headers, headers, origin !== "*");
    }
  };
}

function setHeaders(target: Headers, headers: Array<[string, string]>, varyByOrigin: boolean): void {
  for (const [name, value] of headers) target.set(name, value);
  if (varyByOrigin) target.append("vary", "Origin");
}

/** The Access-Control-Allow-Origin value for a request from `from`, or nothing. */
function allowedOrigin(origin: NonNullable<CorsOptions["origin"]>, from: string): string | null | undefined {
  if (origin === "*") return "*";
  if (typeof origin === "string") return origin === from ? from : null;
  if (Array.isArray(origin)) return origin.includes(from) ? from : null;
  return origin(from);
}
