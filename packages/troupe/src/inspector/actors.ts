// Finding the inspected actor (its live instance, or its record when it sleeps), its summary, and
// the one path every inspector write takes: announced, logged, then run in the woken actor.

import type { Context } from "hono";
import type { ActorInstance } from "../actor/instance.ts";
import type { ObservedActor } from "../actor/observer.ts";
import { errors } from "../base/errors.ts";
import { QUEUE } from "../features/queue/key.ts";
import type { ActorHost } from "../host/host.ts";
import type { RunningNode } from "../host/ownership.ts";
import type { ActorRecord } from "../storage/driver.ts";
import type { ActivityTracker } from "./activity-tracker.ts";
import type { EventHub } from "./event-hub.ts";

/** What the routes share. */
export interface InspectorContext {
  readonly host: () => ActorHost;
  readonly hub: EventHub;
  readonly tracker: ActivityTracker;
}

/**
 * The actor a route is about: `instance` while it is live here, `record` from storage (absent only
 * while it is being created), `node` in a cluster while a node (this one or another) runs it.
 */
export interface Located extends ObservedActor {
  readonly instance: ActorInstance | undefined;
  readonly record: ActorRecord | undefined;
  readonly node?: RunningNode | undefined;
}

/** The live instance of an actor (starting, running or stopping); undefined when it sleeps. */
export function liveInstance(host: ActorHost, actorId: string): ActorInstance | undefined {
  const instance = host.instances.get(actorId);
  return instance?.status === "stopped" ? undefined : instance;
}

/** The actor with this id, awake or asleep; `actor.not_found` when there is none. */
export async function locate(host: ActorHost, actorId: string): Promise<Located> {
  const [record, nodes] = await Promise.all([host.driver.getActorById(actorId), host.runningNodes([actorId])]);
  const instance = liveInstance(host, actorId);
  const found = instance ?? record;
  if (found === undefined) throw errors.notFound(`id ${actorId}`);
  return { id: found.id, name: found.name, key: found.key, instance, record, node: nodes?.get(actorId) };
}

export interface ActorSummary {
  id: string;
  name: string;
  key: string[];
  createdAt: number | null;
  /** `remote`: awake on another node of the cluster (`node`), whose instance this node cannot see. */
  status: "starting" | "running" | "stopping" | "asleep" | "remote";
  epoch: number;
  wokenAt: number | null;
  connections: number;
  queueSize: number | null;
  nextAlarm: number | null;
  /** In a cluster, the node that runs the actor; null when none does, or outside a cluster. */
  node: RunningNode | null;
}

export async function summarize(ctx: InspectorContext, actor: Located): Promise<ActorSummary> {
  const host = ctx.host();
  const { instance, record } = actor;
  const queue = instance?.feature(QUEUE);
  return {
    id: actor.id,
    name: actor.name,
    key: [...actor.key],
    createdAt: record?.createdAt ?? null,
    status: statusOf(actor),
    epoch: instance?.epoch ?? record?.epoch ?? 0,
    wokenAt: instance === undefined ? null : (ctx.tracker.wokenAt(actor.id) ?? null),
    connections: host.openConnections(actor.id)?.size ?? 0,
    queueSize: queue === undefined ? null : (await queue.dispatcher()).store.pending.length,
    nextAlarm: (await host.nextAlarm(actor.id)) ?? null,
    node: actor.node ?? null,
  };
}

function statusOf({ instance, node }: Located): ActorSummary["status"] {
  if (instance !== undefined && instance.status !== "stopped") return instance.status;
  return node !== undefined && !node.here ? "remote" : "asleep";
}

/** Runs `fn` in the actor, woken for it if it sleeps; the actor counts it as activity, so a stop waits for it. */
export function inActor<T>(ctx: InspectorContext, actor: Located, fn: (instance: ActorInstance) => Promise<T>): Promise<T> {
  return ctx.host().withInstance(actor.id, "inspector", (instance) => instance.keepAwake(fn(instance)));
}

/**
 * Runs a write of the inspector API in the actor (woken for it): announced on the stream and in the
 * log first, and answered once everything it wrote is committed, whatever the actor's durability.
 * `counted: false` is for work that counts itself as activity (an action call).
 */
export function inspectorWrite<T>(
  ctx: InspectorContext,
  c: Context,
  actor: Located,
  fn: (instance: ActorInstance) => Promise<T>,
  counted = true,
): Promise<T> {
  const route = `${c.req.method} ${c.req.path}`;
  ctx.hub.inspectorWrite(actor, c.req.method, c.req.path);
  const write = async (instance: ActorInstance) => {
    instance.log.info({ inspector: route }, "inspector write");
    const result = await fn(instance);
    await instance.flush();
    return result;
  };
  return ctx.host().withInstance(actor.id, "inspector", (instance) => (counted ? instance.keepAwake(write(instance)) : write(instance)));
}
