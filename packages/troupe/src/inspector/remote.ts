// In a cluster, what the inspector reads and does inside one actor (its live state, connections,
// database, console, ...) is for the node that runs it: such a request for an actor of another
// node goes there, with the caller's token, and its answer comes back. The actor's summary and the
// list stay with the node asked, which reads them from storage.

import type { MiddlewareHandler } from "hono";
import { forwardedBy, forwardHeaders, forwardRequest } from "../server/forward.ts";
import type { InspectorContext } from "./actors.ts";

/** For the routes under an actor (`/actors/:id/...`), not its summary. */
export function forwardToRunningNode(ctx: InspectorContext): MiddlewareHandler {
  return async (c, next) => {
    const host = ctx.host();
    const token = host.clusterToken;
    // A request another node forwarded is served here, whatever this node thinks: never twice.
    if (token === undefined || forwardedBy(c.req.raw, token) !== undefined) return next();
    const actorId = c.req.param("id") ?? "";
    const node = (await host.runningNodes([actorId]))?.get(actorId);
    if (node === undefined || node.here) return next();
    return forwardRequest(c.req.raw, node.address, forwardHeaders(token, undefined, undefined));
  };
}
