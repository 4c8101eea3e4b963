// The console: an action called as the inspector, from inside the actor (no connection, so no
// connection hook runs), with its output or its error as the answer.

import type { Hono } from "hono";
import { type InspectorContext, inspectorWrite, locate } from "../actors.ts";
import { publicErrorView } from "../error-view.ts";
import { inspectorErrors } from "../errors.ts";
import { fromJsonView, toJsonView } from "../json-view.ts";
import { objectBody } from "../params.ts";

export function consoleRoutes(api: Hono, ctx: InspectorContext): void {
  api.post("/actors/:id/actions/:action", async (c) => {
    const actor = await locate(ctx.host(), c.req.param("id"));
    const body = await objectBody(c);
    const args = fromJsonView(body.args ?? [], "args");
    if (!Array.isArray(args)) throw inspectorErrors.invalidRequest("args", "`args` must be an array.");
    const name = c.req.param("action");
    // Once the actor is reached, what the action comes to is the answer, a failure included.
    const answer = await inspectorWrite(
      ctx,
      c,
      actor,
      async (instance) => {
        const startedAt = performance.now();
        try {
          const output = await instance.invoke(name, args);
          return { ok: true, output: toJsonView(output), durationMs: performance.now() - startedAt };
        } catch (error) {
          return { ok: false, error: publicErrorView(error), durationMs: performance.now() - startedAt };
        }
      },
      false,
    );
    return c.json(answer);
  });
}
