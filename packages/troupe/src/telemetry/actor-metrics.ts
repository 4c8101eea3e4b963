// The Prometheus metrics of a registry (docs/observability.md): counted from its host's actor events
// and its server's traffic, with gauges read from the live actors at each scrape. prom-client is
// handed in, so that only the endpoint that serves it decides when it is loaded.

import type * as Prom from "prom-client";
import type { ActorEvent, ActorObserver } from "../actor/observer.ts";
import type { ActorError } from "../base/errors.ts";
import { QUEUE } from "../features/queue/key.ts";
import type { ActorHost } from "../host/host.ts";
import type { TrafficObserver, Transport } from "../server/traffic.ts";
import { FastCounter, FastHistogram } from "./series.ts";

export type PromClient = typeof Prom;

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const WRITES = [1, 2, 5, 10, 20, 50, 100, 500, 1000];
const GROUP = [1, 2, 4, 8, 16, 32, 64, 128, 256];
/** Actors read from storage per page when sleeping ones are counted. */
const LIST_PAGE = 1000;

/**
 * Node's process metrics, collected once per process however many registries serve metrics (each
 * collector keeps observers for as long as the process lives).
 */
let processMetrics: Prom.Registry | undefined;

export class ActorMetrics implements ActorObserver, TrafficObserver {
  readonly observesState = false;
  /** This registry's metrics and the process's, as one scrape. */
  readonly registry: Prom.Registry;
  readonly #watched = new WeakSet<ActorHost>();
  readonly #activations: FastCounter<"actor" | "cause">;
  readonly #activationTime: FastHistogram<"actor" | "mode">;
  readonly #stops: FastCounter<"actor" | "reason">;
  readonly #actions: FastHistogram<"actor" | "action" | "outcome">;
  readonly #commitTime: FastHistogram<"actor">;
  readonly #commitWrites: FastHistogram<"actor">;
  readonly #commitBytes: FastCounter<"actor">;
  readonly #commitGroups: FastHistogram<never>;
  readonly #commitFailures: FastCounter<"actor" | "code">;
  readonly #queue: FastCounter<"actor" | "event">;
  readonly #redeliveries: FastCounter<"actor">;
  readonly #connections: Prom.Gauge<"actor">;
  readonly #connectionsOpened: FastCounter<"actor">;
  readonly #bytesIn: FastCounter<"transport">;
  readonly #bytesOut: FastCounter<"transport">;
  readonly #errors: FastCounter<"transport" | "code">;

  /** `host` is read at each scrape: the gauges follow the registry across a runtime restart. */
  constructor(prom: PromClient, host: () => ActorHost) {
    const registry = new prom.Registry();
    if (processMetrics === undefined) {
      processMetrics = new prom.Registry();
      prom.collectDefaultMetrics({ register: processMetrics });
    }
    const registers = [registry];
    new prom.Gauge({
      name: "troupe_actors",
      help: "Actors by name: awake in this process, or asleep (stored and not awake here).",
      labelNames: ["actor", "state"] as const,
      registers,
      async collect() {
        this.reset();
        for (const [name, state, count] of await countActors(host())) this.set({ actor: name, state }, count);
      },
    });
    new prom.Gauge({
      name: "troupe_queue_depth",
      help: "Messages in the queues of awake actors (in flight included), by actor name.",
      labelNames: ["actor"] as const,
      registers,
      collect() {
        this.reset();
        for (const [name, depth] of queueDepths(host())) this.set({ actor: name }, depth);
      },
    });
    this.#activations = new FastCounter({
      name: "troupe_activations_total",
      help: "Instances started, by actor name and what woke them (create for a new actor).",
      labelNames: ["actor", "cause"] as const,
      registers,
    });
    this.#activationTime = new FastHistogram({
      name: "troupe_activation_duration_seconds",
      help: "Time to start an instance (claim, load, onWake or onCreate), by actor name and mode.",
      labelNames: ["actor", "mode"] as const,
      buckets: SECONDS,
      registers,
    });
    this.#stops = new FastCounter({
      name: "troupe_stops_total",
      help: "Instances stopped, by actor name and reason (idle, requested, run_ended, shutdown, fenced, crashed).",
      labelNames: ["actor", "reason"] as const,
      registers,
    });
    this.#actions = new FastHistogram({
      name: "troupe_action_duration_seconds",
      help: "Action latency as the caller sees it (its writes made durable included), by actor, action and outcome.",
      labelNames: ["actor", "action", "outcome"] as const,
      buckets: SECONDS,
      registers,
    });
    this.#commitTime = new FastHistogram({
      name: "troupe_commit_duration_seconds",
      help: "Time from an actor's batch being taken to its group commit ending, by actor name.",
      labelNames: ["actor"] as const,
      buckets: SECONDS,
      registers,
    });
    this.#commitWrites = new FastHistogram({
      name: "troupe_commit_batch_writes",
      help: "Keys written or deleted per actor batch, by actor name.",
      labelNames: ["actor"] as const,
      buckets: WRITES,
      registers,
    });
    this.#commitBytes = new FastCounter({
      name: "troupe_commit_bytes_total",
      help: "Bytes put by committed batches (keys and values), by actor name.",
      labelNames: ["actor"] as const,
      registers,
    });
    this.#commitGroups = new FastHistogram({
      name: "troupe_commit_group_size",
      help: "Actor batches in the storage transaction each batch went in (observed once per batch).",
      labelNames: [],
      buckets: GROUP,
      registers,
    });
    this.#commitFailures = new FastCounter({
      name: "troupe_commit_failures_total",
      help: "Batches storage refused, by actor name and error code (actor.fenced when another activation owns the actor).",
      labelNames: ["actor", "code"] as const,
      registers,
    });
    this.#queue = new FastCounter({
      name: "troupe_queue_messages_total",
      help: "Queue messages by actor name and event (sent, received, completed, dead_lettered).",
      labelNames: ["actor", "event"] as const,
      registers,
    });
    this.#redeliveries = new FastCounter({
      name: "troupe_queue_redeliveries_total",
      help: "Queue messages delivered again after an attempt that did not complete them, by actor name.",
      labelNames: ["actor"] as const,
      registers,
    });
    this.#connections = new prom.Gauge({
      name: "troupe_connections",
      help: "Open actor connections, by actor name.",
      labelNames: ["actor"] as const,
      registers,
    });
    this.#connectionsOpened = new FastCounter({
      name: "troupe_connections_opened_total",
      help: "Actor connections opened, by actor name.",
      labelNames: ["actor"] as const,
      registers,
    });
    this.#bytesIn = new FastCounter({
      name: "troupe_received_bytes_total",
      help: "Bytes received on the actor routes: declared HTTP request bodies and WebSocket frames.",
      labelNames: ["transport"] as const,
      registers,
    });
    this.#bytesOut = new FastCounter({
      name: "troupe_sent_bytes_total",
      help: "Bytes sent on the actor routes: declared HTTP response bodies and WebSocket frames.",
      labelNames: ["transport"] as const,
      registers,
    });
    this.#errors = new FastCounter({
      name: "troupe_errors_total",
      help: "Errors sent to clients, by transport and public code (group.code).",
      labelNames: ["transport", "code"] as const,
      registers,
    });
    this.registry = prom.Registry.merge([registry, processMetrics]);
  }

  /** Starts counting `host`'s actor events (once per host). */
  watch(host: ActorHost): void {
    if (this.#watched.has(host)) return;
    this.#watched.add(host);
    host.observe(this);
  }

  notify(event: ActorEvent): void {
    const actor = event.actor.name;
    switch (event.type) {
      case "actor.started":
        if (event.error !== undefined) return;
        this.#activations.inc({ actor, cause: event.cause });
        this.#activationTime.observe({ actor, mode: event.mode }, event.durationMs / 1000);
        return;
      case "actor.stopped":
        this.#stops.inc({ actor, reason: event.reason });
        return;
      case "action.ended":
        this.#actions.observe({ actor, action: event.call.name, outcome: event.ok ? "ok" : "error" }, event.durationMs / 1000);
        return;
      case "commit":
        this.#commitTime.observe({ actor }, event.durationMs / 1000);
        this.#commitGroups.observe({}, event.groupSize);
        if (event.error !== undefined) {
          this.#commitFailures.inc({ actor, code: errorCode(event.error) });
          return;
        }
        this.#commitWrites.observe({ actor }, event.writes);
        this.#commitBytes.inc({ actor }, event.bytes);
        return;
      case "queue.sent":
        this.#queue.inc({ actor, event: "sent" });
        return;
      case "queue.received":
        this.#queue.inc({ actor, event: "received" });
        if (event.attempts > 1) this.#redeliveries.inc({ actor });
        return;
      case "queue.completed":
        this.#queue.inc({ actor, event: "completed" });
        return;
      case "queue.dead_lettered":
        this.#queue.inc({ actor, event: "dead_lettered" });
        return;
      case "connection.opened":
        this.#connections.inc({ actor });
        this.#connectionsOpened.inc({ actor });
        return;
      case "connection.closed":
        this.#connections.dec({ actor });
        return;
    }
  }

  received(transport: Transport, bytes: number): void {
    if (bytes > 0) this.#bytesIn.inc({ transport }, bytes);
  }

  sent(transport: Transport, bytes: number): void {
    if (bytes > 0) this.#bytesOut.inc({ transport }, bytes);
  }

  failed(transport: Transport, error: ActorError): void {
    this.#errors.inc({ transport, code: `${error.group}.${error.code}` });
  }
}

function errorCode(error: Error): string {
  const { group, code } = error as Partial<ActorError>;
  return typeof group === "string" && typeof code === "string" ? `${group}.${code}` : "internal";
}

/** [name, state, count] for every registered actor name: awake here, and asleep (stored, not awake here). */
async function countActors(host: ActorHost): Promise<Array<[string, "awake" | "asleep", number]>> {
  const awake = new Map<string, number>();
  const asleep = new Map<string, number>();
  for (const name of Object.keys(host.definitions)) {
    awake.set(name, 0);
    asleep.set(name, 0);
  }
  for (const instance of host.instances.values()) awake.set(instance.name, (awake.get(instance.name) ?? 0) + 1);
  let after: string | undefined;
  for (;;) {
    const page = await host.driver.listActors({ after, limit: LIST_PAGE });
    for (const record of page) {
      if (!host.instances.has(record.id)) asleep.set(record.name, (asleep.get(record.name) ?? 0) + 1);
    }
    if (page.length < LIST_PAGE) break;
    after = page[page.length - 1]?.id;
  }
  return [
    ...[...awake].map(([name, count]) => [name, "awake", count] as [string, "awake", number]),
    ...[...asleep].map(([name, count]) => [name, "asleep", count] as [string, "asleep", number]),
  ];
}

function queueDepths(host: ActorHost): Map<string, number> {
  const depths = new Map<string, number>();
  for (const name of Object.keys(host.definitions)) depths.set(name, 0);
  for (const instance of host.instances.values()) {
    const pending = instance.feature(QUEUE)?.pendingCount;
    if (pending !== undefined) depths.set(instance.name, (depths.get(instance.name) ?? 0) + pending);
  }
  return depths;
}
