// The dashboard: a static web app (packages/troupe/dashboard/, built by Vite into
// dist/inspector/dashboard/) served at /inspector/. Its files hold no data and need no token:
// everything it shows comes from the API, which does.

import type { Hono } from "hono";

/**
 * Built, the dashboard sits beside this module; run from source (tests, tsx), it is the one
 * `npm run build` made. (The pathname, as tsx may add a query to the module's URL.)
 */
export const DASHBOARD_DIR = new URL(import.meta.url).pathname.endsWith(".ts")
  ? new URL("../../dist/inspector/dashboard/", import.meta.url)
  : new URL("./dashboard/", import.meta.url);

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  map: "application/json",
};

/** The page may talk to its own server only, and runs no script but its own. */
const PAGE_POLICY =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

async function file(path: string, headers: Record<string, string>): Promise<Response> {
  let body: Uint8Array<ArrayBuffer>;
  try {
    // Loaded on first use, so that `import "troupe"` loads no Node module (the files are on disk anyway).
    const { readFile } = await import("node:fs/promises");
    body = await readFile(new URL(path, DASHBOARD_DIR));
  } catch {
    const hint = path === "index.html" ? " The dashboard is not built: run `npm run build -w troupe`." : "";
    return new Response(`Not found.${hint}\n`, { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const type = TYPES[path.slice(path.lastIndexOf(".") + 1)] ?? "application/octet-stream";
  return new Response(body, { headers: { "content-type": type, "x-content-type-options": "nosniff", ...headers } });
}

/** `/inspector` (to `/inspector/`, so that the page's relative links work under any mount point), the page and its assets. */
export function dashboardRoutes(app: Hono, base: string): void {
  // A relative Location keeps a prefix the app is mounted under; browsers keep the #token fragment.
  app.get(base, () => new Response(null, { status: 308, headers: { location: `${base.slice(base.lastIndexOf("/") + 1)}/` } }));
  app.get(`${base}/`, () =>
    file("index.html", { "cache-control": "no-cache", "content-security-policy": PAGE_POLICY, "referrer-policy": "no-referrer" }),
  );
  app.get(`${base}/assets/:name{[A-Za-z0-9_.-]+}`, (c) =>
    file(`assets/${c.req.param("name")}`, { "cache-control": "public, max-age=31536000, immutable" }),
  );
}
