// The actor's open connections (kept by the host, so they are read without waking it), and
// closing one as `conn.disconnect()` would.

import type { Hono } from "hono";
import { type InspectorContext, inspectorWrite, locate } from "../actors.ts";
import { inspectorErrors } from "../errors.ts";
import { toJsonView } from "../json-view.ts";

export function connectionRoutes(api: Hono, ctx: InspectorContext): void {
  api.get("/actors/:id/connections", async (c) => {
    const actor = await locate(ctx.host(), c.req.param("id"));
    const open = ctx.host().openConnections(actor.id)?.values() ?? [];
    const connections = [...open].map((conn) => ({
      id: conn.id,
      params: toJsonView(conn.params),
      state: toJsonView(conn.state),
      subscriptions: [...conn.subscriptions],
    }));
    return c.json({ connections });
  });

  api.delete("/actors/:id/connections/:connId", async (c) => {
    const actor = await locate(ctx.host(), c.req.param("id"));
    const connId = c.req.param("connId");
    const conn = ctx.host().openConnections(actor.id)?.get(connId);
    if (conn === undefined) throw inspectorErrors.notFound("connection", connId);
    await inspectorWrite(ctx, c, actor, (instance) => instance.connections.disconnect(conn, "disconnected by the inspector"));
    return c.json({ disconnected: true });
  });
}
