// Serving under a base path (`/api/troupe`), for a registry mounted inside another app: the routes
// are matched on the path after the base, and the client is given the URL with the base in it.

import { errors } from "../base/errors.ts";

/** The base path as routes are stripped of it: "" for none, else "/segment/..." with no trailing slash. */
export function resolveBasePath(value: unknown): string {
  if (value === undefined || value === "" || value === "/") return "";
  if (typeof value !== "string" || !value.startsWith("/") || /[?#\s]/.test(value) || value.includes("//")) {
    throw errors.config(
      `basePath must be a path such as "/api/troupe" (starting with "/", no query or spaces), got ${JSON.stringify(value)}.`,
    );
  }
  return value.replace(/\/+$/, "");
}

/** The path after `base`, always starting with "/"; undefined when `pathname` is not under it. */
export function pathWithin(pathname: string, base: string): string | undefined {
  if (base === "") return pathname;
  if (!pathname.startsWith(base)) return undefined;
  const rest = pathname.slice(base.length);
  if (rest === "") return "/";
  return rest.startsWith("/") ? rest : undefined;
}

/** An upgrade request (no body) as the routes read it, its URL without the base; undefined when not under it. */
export function requestWithin(request: Request, base: string): Request | undefined {
  if (base === "") return request;
  const url = new URL(request.url);
  const path = pathWithin(url.pathname, base);
  if (path === undefined) return undefined;
  url.pathname = path;
  return new Request(url, { method: request.method, headers: request.headers });
}
