// The registry's definitions, the actor list with its search, one actor's summary, and "why is
// it awake?". None of them wakes an actor.

import type { Hono } from "hono";
import type { AnyActorDefinition } from "../../actor/definition.ts";
import type { ActorInstance } from "../../actor/instance.ts";
import { isDatabaseProvider } from "../../features/db/provider.ts";
import { runHandlerOf, type RunConfig } from "../../features/run/feature.ts";
import { RUN } from "../../features/run/plugin.ts";
import { workflowOf } from "../../features/workflow/workflow.ts";
import type { RunningNode } from "../../host/ownership.ts";
import type { ActorRecord } from "../../storage/driver.ts";
import { type InspectorContext, type Located, liveInstance, locate, summarize } from "../actors.ts";
import { fromBase64, toBase64 } from "../base64.ts";
import { inspectorErrors } from "../errors.ts";
import { toJsonView } from "../json-view.ts";
import { intParam, oneOf } from "../params.ts";
import { queueContents } from "../queue-contents.ts";

/** A search reads at most this many records of the directory per request. */
export const SCAN_LIMIT = 5_000;
const SCAN_PAGE = 500;
/** The storage size of one actor is summed over at most this many keys. */
const MAX_SIZED_KEYS = 10_000;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function actorRoutes(api: Hono, ctx: InspectorContext): void {
  api.get("/registry", (c) => {
    const actors = Object.entries(ctx.host().definitions).map(([name, def]) => describe(name, def));
    return c.json({ version: 1, runtime: "troupe", actors });
  });

  api.get("/actors", async (c) => {
    const host = ctx.host();
    const name = c.req.query("name") || undefined;
    const key = c.req.queries("key") ?? [];
    const status = oneOf(c, "status", ["all", "awake", "asleep"] as const, "all");
    const limit = intParam(c, "limit", 1, 500, 50);
    const cursor = decodeCursor(c.req.query("cursor"));
    const wanted = (actor: { name: string; key: readonly string[] }) =>
      (name === undefined || actor.name === name) && keyMatches(actor.key, key);

    let found: Located[];
    let next: string | undefined;
    // In a cluster, which actors are awake is known to the leases in storage, not to this node's memory.
    const clustered = host.clusterToken !== undefined;
    if (status === "awake" && !clustered) {
      const live = [...host.instances.values()]
        .filter((i) => i.status !== "stopped" && wanted(i) && (cursor === undefined || i.id > cursor))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const page = live.slice(0, limit);
      if (live.length > limit) next = page[page.length - 1]?.id;
      found = await Promise.all(
        page.map(async (i) => ({ id: i.id, name: i.name, key: i.key, instance: i, record: await host.driver.getActorById(i.id) })),
      );
    } else {
      const records: Array<{ record: ActorRecord; node: RunningNode | undefined }> = [];
      let after = cursor;
      let scanned = 0;
      let exhausted = false;
      scan: while (scanned < SCAN_LIMIT) {
        const asked = Math.min(SCAN_PAGE, SCAN_LIMIT - scanned);
        const batch = await host.driver.listActors({ name, after, limit: asked });
        const nodes = (await host.runningNodes(batch.filter(wanted).map((record) => record.id))) ?? new Map<string, RunningNode>();
        for (const record of batch) {
          scanned++;
          after = record.id;
          const node = nodes.get(record.id);
          const awake = liveInstance(host, record.id) !== undefined || node !== undefined;
          if (wanted(record) && (status === "all" || awake === (status === "awake"))) records.push({ record, node });
          if (records.length === limit) break scan;
        }
        if (batch.length < asked) {
          exhausted = true;
          break;
        }
      }
      if (!exhausted) next = after;
      found = records.map(({ record, node }) => ({
        id: record.id,
        name: record.name,
        key: record.key,
        instance: liveInstance(host, record.id),
        record,
        node,
      }));
    }
    const actors = await Promise.all(found.map((actor) => summarize(ctx, actor)));
    return c.json({ actors, next: next === undefined ? null : toBase64(utf8.encode(next), true) });
  });

  api.get("/actors/:id", async (c) => {
    const host = ctx.host();
    const actor = await locate(host, c.req.param("id"));
    const summary = await summarize(ctx, actor);
    const contents = await queueContents(host.driver, actor);
    const queue = {
      pending: contents.pending.length,
      inFlight: contents.pending.filter((m) => contents.inFlight(m.id)).length,
      deadLetters: contents.dead.length,
    };
    const rows = await host.driver.list(actor.id, { limit: MAX_SIZED_KEYS + 1 });
    let bytes = 0;
    for (const [key, value] of rows.slice(0, MAX_SIZED_KEYS)) bytes += key.byteLength + value.byteLength;
    const storage = { keys: Math.min(rows.length, MAX_SIZED_KEYS), bytes, complete: rows.length <= MAX_SIZED_KEYS };
    return c.json({ ...summary, queue, storage });
  });

  api.get("/actors/:id/awake", async (c) => {
    const host = ctx.host();
    const actor = await locate(host, c.req.param("id"));
    const { options } = host.definition(actor.name);
    const common = {
      sleepTimeout: options.sleepTimeout,
      noSleep: options.noSleep,
      connections: host.openConnections(actor.id)?.size ?? 0,
      nextAlarm: (await host.nextAlarm(actor.id)) ?? null,
    };
    const { instance } = actor;
    if (instance === undefined) {
      return c.json({
        awake: false,
        status: "asleep",
        sleepable: true,
        keptAwakeBy: [],
        activity: 0,
        idleSince: null,
        sleepsAt: null,
        waitUntil: 0,
        ...common,
      });
    }
    const keptAwakeBy = reasons(ctx, instance);
    const deadline = host.sleepDeadline(instance);
    return c.json({
      awake: true,
      status: instance.status,
      sleepable: keptAwakeBy.length === 0,
      keptAwakeBy,
      activity: instance.active,
      idleSince: deadline === undefined ? null : deadline - options.sleepTimeout,
      sleepsAt: deadline ?? null,
      waitUntil: instance.pendingWaits,
      ...common,
    });
  });
}

type Reason =
  | { kind: "action"; name: string; connId: string | null; startedAt: number }
  | { kind: "run_loop" | "no_sleep" | "starting" | "stopping" }
  | { kind: "keep_awake" | "other"; count: number };

/** What keeps a live instance awake now. */
function reasons(ctx: InspectorContext, instance: ActorInstance): Reason[] {
  const out: Reason[] = [];
  if (instance.status === "starting" || instance.status === "stopping") out.push({ kind: instance.status });
  const now = performance.now();
  const calls = ctx.tracker.calls(instance.id);
  for (const call of calls) {
    out.push({ kind: "action", name: call.name, connId: call.connId ?? null, startedAt: Math.round(Date.now() - (now - call.startedAt)) });
  }
  // The run loop marks itself busy with a keepAwake of its own.
  const runLoop = instance.feature(RUN)?.busy === true;
  if (runLoop) out.push({ kind: "run_loop" });
  const keepAwake = instance.keepAwakes - (runLoop ? 1 : 0);
  if (keepAwake > 0) out.push({ kind: "keep_awake", count: keepAwake });
  const other = instance.active - instance.keepAwakes - calls.length;
  if (other > 0) out.push({ kind: "other", count: other });
  if (instance.def.options.noSleep) out.push({ kind: "no_sleep" });
  return out;
}

function describe(name: string, def: AnyActorDefinition) {
  const run = def.config.run as RunConfig | undefined;
  const queues = def.config.queues as Record<string, unknown> | undefined;
  return {
    name,
    displayName: def.options.name ?? null,
    icon: def.options.icon ?? null,
    actions: [...def.actions.keys()],
    state: def.hasState,
    database: isDatabaseProvider(def.config.db),
    workflow: workflowOf(runHandlerOf(run)),
    run: run !== undefined,
    queues: queues === undefined ? null : Object.keys(queues),
    options: toJsonView(def.options),
  };
}

/** Whether `key` begins with `prefix`, its last part as a string prefix. */
function keyMatches(key: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length === 0) return true;
  if (key.length < prefix.length) return false;
  const last = prefix.length - 1;
  for (let i = 0; i < last; i++) if (key[i] !== prefix[i]) return false;
  return (key[last] as string).startsWith(prefix[last] as string);
}

function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  const bytes = fromBase64(cursor);
  if (bytes === undefined) throw inspectorErrors.invalidRequest("cursor", "`cursor` must be the `next` of a previous page.");
  return utf8Decoder.decode(bytes);
}
