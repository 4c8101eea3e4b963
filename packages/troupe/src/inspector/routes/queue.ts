// The actor's queue: pending messages (in flight or not) and dead letters, sending a message as the
// actor itself would, and replaying or deleting dead letters.

import type { Hono } from "hono";
import type { ActorInstance } from "../../actor/instance.ts";
import { decodeCbor } from "../../base/cbor.ts";
import { QUEUE } from "../../features/queue/key.ts";
import { DeadLetters } from "../../features/queue/dead-letters.ts";
import { enqueue } from "../../features/queue/enqueue.ts";
import type { QueueFeature } from "../../features/queue/feature.ts";
import type { StoredMessage } from "../../features/queue/records.ts";
import { type InspectorContext, inspectorWrite, locate } from "../actors.ts";
import { inspectorErrors } from "../errors.ts";
import { fromJsonView, toJsonView } from "../json-view.ts";
import { intParam, objectBody, selection } from "../params.ts";
import { queueContents } from "../queue-contents.ts";

function message(m: StoredMessage) {
  return { id: m.id, queue: m.name, body: toJsonView(decodeCbor(m.body)), createdAt: m.createdAt, attempts: m.attempts };
}

export function queueRoutes(api: Hono, ctx: InspectorContext): void {
  // Every actor has a queue (the "default" one always exists).
  const queueOf = (instance: ActorInstance) => instance.feature(QUEUE) as QueueFeature;

  api.get("/actors/:id/queue", async (c) => {
    const limit = intParam(c, "limit", 1, 1000, 100);
    const actor = await locate(ctx.host(), c.req.param("id"));
    const contents = await queueContents(ctx.host().driver, actor);
    return c.json({
      size: contents.pending.length,
      maxSize: ctx.host().definition(actor.name).options.maxQueueSize,
      pending: contents.pending.slice(0, limit).map((m) => ({ ...message(m), inFlight: contents.inFlight(m.id) })),
      deadLetters: contents.dead.slice(0, limit).map((m) => ({ ...message(m), failedAt: m.failedAt })),
      truncated: contents.pending.length > limit || contents.dead.length > limit,
    });
  });

  api.post("/actors/:id/queue", async (c) => {
    const actor = await locate(ctx.host(), c.req.param("id"));
    const body = await objectBody(c);
    if (typeof body.queue !== "string" || body.queue === "") throw inspectorErrors.invalidRequest("queue", "`queue` must be a queue name.");
    const name = body.queue;
    const value = fromJsonView(body.body, "body");
    const sent = await inspectorWrite(ctx, c, actor, (instance) => enqueue(queueOf(instance), name, value));
    return c.json({ id: sent.id, queue: name, createdAt: sent.message?.createdAt ?? null });
  });

  api.post("/actors/:id/queue/dead-letters/replay", async (c) => {
    const actor = await locate(ctx.host(), c.req.param("id"));
    const ids = selection(await objectBody(c));
    const replayed = await inspectorWrite(ctx, c, actor, (instance) => new DeadLetters(queueOf(instance)).replay(ids));
    return c.json({ replayed });
  });

  api.post("/actors/:id/queue/dead-letters/delete", async (c) => {
    const actor = await locate(ctx.host(), c.req.param("id"));
    const ids = selection(await objectBody(c));
    const deleted = await inspectorWrite(ctx, c, actor, (instance) => new DeadLetters(queueOf(instance)).delete(ids));
    return c.json({ deleted });
  });
}
