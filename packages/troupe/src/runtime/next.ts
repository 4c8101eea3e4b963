// Next.js App Router route handlers for a registry: in `app/api/troupe/[...all]/route.ts`,
// `export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = toNextHandler(registry)` with
// `basePath: "/api/troupe"` in setup(). Route handlers cannot take WebSocket upgrades (docs/mounting.md).

type RouteHandler = (request: Request) => Promise<Response>;

export interface NextHandlers {
  GET: RouteHandler;
  POST: RouteHandler;
  PUT: RouteHandler;
  PATCH: RouteHandler;
  DELETE: RouteHandler;
  HEAD: RouteHandler;
  OPTIONS: RouteHandler;
}

export function toNextHandler(registry: { handler(request: Request): Promise<Response> }): NextHandlers {
  // Next passes the route's params as a second argument; the registry routes by the URL alone.
  const handle: RouteHandler = (request) => registry.handler(request);
  return { GET: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle, HEAD: handle, OPTIONS: handle };
}
