// The actor's SQL database: tables with their columns, rows page by page, read-only queries. The
// database is open only while the actor is awake, so these routes wake it.

import type { Hono } from "hono";
import type { ActorInstance } from "../../actor/instance.ts";
import { type DatabaseInspector, inspectDatabase } from "../../features/db/inspect.ts";
import { isDatabaseProvider } from "../../features/db/provider.ts";
import type { SqlNamedParams, SqlValue } from "../../features/db/types.ts";
import { type InspectorContext, inActor, locate } from "../actors.ts";
import { inspectorErrors } from "../errors.ts";
import { fromJsonView, toJsonView } from "../json-view.ts";
import { intParam, objectBody } from "../params.ts";

function inspectorOf(instance: ActorInstance): DatabaseInspector {
  const inspector = inspectDatabase(instance);
  if (inspector === undefined) throw inspectorErrors.notEnabled("database");
  return inspector;
}

export function databaseRoutes(api: Hono, ctx: InspectorContext): void {
  /** Runs `fn` with the database of the actor `id`, refused before waking it when it declares none. */
  const withDatabase = async <T>(id: string, fn: (db: DatabaseInspector) => Promise<T>): Promise<T> => {
    const actor = await locate(ctx.host(), id);
    if (!isDatabaseProvider(ctx.host().definition(actor.name).config.db)) throw inspectorErrors.notEnabled("database");
    return inActor(ctx, actor, (instance) => fn(inspectorOf(instance)));
  };

  api.get("/actors/:id/db/tables", async (c) => {
    const tables = await withDatabase(c.req.param("id"), (db) => db.tables());
    return c.json({ tables: toJsonView(tables) });
  });

  api.get("/actors/:id/db/tables/:table/rows", async (c) => {
    const limit = intParam(c, "limit", 0, 10_000, 100);
    const offset = intParam(c, "offset", 0, Number.MAX_SAFE_INTEGER, 0);
    const rows = await withDatabase(c.req.param("id"), (db) => db.rows(c.req.param("table"), { limit, offset }));
    return c.json({ rows: toJsonView(rows), limit, offset });
  });

  api.post("/actors/:id/db/query", async (c) => {
    const body = await objectBody(c);
    if (typeof body.sql !== "string" || body.sql.trim() === "")
      throw inspectorErrors.invalidRequest("sql", "`sql` must be an SQL statement.");
    const sql = body.sql;
    const args = fromJsonView(body.args ?? [], "args");
    if (typeof args !== "object" || args === null) {
      throw inspectorErrors.invalidRequest("args", "`args` must be an array (for ? parameters) or an object (for :name ones).");
    }
    const rows = await withDatabase(c.req.param("id"), (db) => db.query(sql, args as SqlValue[] | SqlNamedParams));
    return c.json({ rows: toJsonView(rows) });
  });
}
