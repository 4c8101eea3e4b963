// The actor's state: read (live, or as stored while it sleeps), replaced, or patched with a JSON
// Patch; writes go through `c.state` and the normal commit.

import type { Hono } from "hono";
import type { ActorInstance } from "../../actor/instance.ts";
import { unwrap } from "../../actor/raw.ts";
import { StoredState } from "../../actor/stored-state.ts";
import { decodeCbor } from "../../base/cbor.ts";
import { type InspectorContext, inspectorWrite, type Located, locate } from "../actors.ts";
import { inspectorErrors } from "../errors.ts";
import { applyPatch, parsePatch } from "../json-patch.ts";
import { fromJsonView, toJsonView } from "../json-view.ts";
import { jsonBody, objectBody } from "../params.ts";

export function stateRoutes(api: Hono, ctx: InspectorContext): void {
  /** The actor, refused before anything else when it has no state. */
  const withState = async (id: string): Promise<Located> => {
    const actor = await locate(ctx.host(), id);
    if (!ctx.host().definition(actor.name).hasState) throw inspectorErrors.notEnabled("state");
    return actor;
  };
  const current = (instance: ActorInstance) => toJsonView(unwrap(instance.state));

  api.get("/actors/:id/state", async (c) => {
    const actor = await withState(c.req.param("id"));
    const { instance } = actor;
    if (instance !== undefined && instance.status !== "starting") return c.json({ state: current(instance), awake: true });
    const { bytes: stored } = await StoredState.read((keys) => ctx.host().driver.get(actor.id, keys));
    return c.json({ state: toJsonView(stored === undefined ? undefined : decodeCbor(stored)), awake: instance !== undefined });
  });

  api.put("/actors/:id/state", async (c) => {
    const actor = await withState(c.req.param("id"));
    const body = await objectBody(c);
    if (!Object.hasOwn(body, "state")) throw inspectorErrors.invalidRequest("state", "The body must be { state }.");
    const value = fromJsonView(body.state, "state");
    const state = await inspectorWrite(ctx, c, actor, async (instance) => {
      instance.state = value;
      return current(instance);
    });
    return c.json({ state });
  });

  api.patch("/actors/:id/state", async (c) => {
    const actor = await withState(c.req.param("id"));
    const patch = parsePatch(await jsonBody(c));
    const state = await inspectorWrite(ctx, c, actor, async (instance) => {
      instance.state = applyPatch(unwrap(instance.state), patch);
      return current(instance);
    });
    return c.json({ state });
  });
}
