// The actor's workflow history as committed, with the entry its code no longer matches when it is
// blocked.

import type { Hono } from "hono";
import { runHandlerOf, type RunConfig } from "../../features/run/feature.ts";
import type { ErrorInfo } from "../../features/workflow/engine/error-info.ts";
import type { HistoryEntry } from "../../features/workflow/engine/history-export.ts";
import { readWorkflowHistory } from "../../features/workflow/history-api.ts";
import { formatPath } from "../../features/workflow/engine/path.ts";
import { workflowOf } from "../../features/workflow/workflow.ts";
import { type InspectorContext, locate } from "../actors.ts";
import { inspectorErrors } from "../errors.ts";
import { type Json, toJsonView } from "../json-view.ts";

function errorView(error: ErrorInfo | undefined): Json {
  return error === undefined ? null : (toJsonView(error) as Json);
}

function entryView(entry: HistoryEntry): Json {
  const { output, error, completedAt, state, rollback, ...rest } = entry;
  return {
    ...(toJsonView(rest) as Record<string, Json>),
    completedAt: completedAt ?? null,
    output: output === undefined ? null : toJsonView(output),
    error: errorView(error),
    ...(state === undefined ? {} : { state: toJsonView(state) }),
    ...(rollback === undefined ? {} : { rollback: toJsonView(rollback) }),
  };
}

/** The recorded entry a `workflow.nondeterministic` error names (by its scope and name). */
function offending(entries: readonly HistoryEntry[], error: ErrorInfo | undefined): HistoryEntry | undefined {
  const metadata = error?.metadata as { scope?: unknown; step?: unknown } | undefined;
  if (typeof metadata?.step !== "string" || typeof metadata.scope !== "string") return undefined;
  return entries.find((e) => e.name === metadata.step && formatPath(e.path.slice(0, -1)) === metadata.scope);
}

export function workflowRoutes(api: Hono, ctx: InspectorContext): void {
  api.get("/actors/:id/workflow", async (c) => {
    const host = ctx.host();
    const actor = await locate(host, c.req.param("id"));
    if (!workflowOf(runHandlerOf(host.definition(actor.name).config.run as RunConfig | undefined)))
      throw inspectorErrors.notEnabled("workflow");
    const history = await readWorkflowHistory(host.driver, actor.id);
    if (history === null) return c.json({ workflow: null, entries: [], blocked: null });
    const { workflow, entries } = history;
    const blocked = workflow.status === "blocked" ? offending(entries, workflow.error) : undefined;
    return c.json({
      workflow: {
        status: workflow.status,
        startedAt: workflow.startedAt,
        updatedAt: workflow.updatedAt,
        completedAt: workflow.completedAt ?? null,
        output: workflow.output === undefined ? null : toJsonView(workflow.output),
        error: errorView(workflow.error),
      },
      entries: entries.map(entryView),
      blocked:
        workflow.status === "blocked"
          ? { error: errorView(workflow.error), entry: blocked === undefined ? null : entryView(blocked) }
          : null,
    });
  });
}
