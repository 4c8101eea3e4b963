// OpenTelemetry spans for actions and commits, made from the host's actor events when the
// application has registered a tracer provider (docs/observability.md). Without one, nothing
// watches the host and no span is built.

import { context, type ProxyTracerProvider, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import type { ActionCall, ActorEvent, ActorObserver, ObservedActor } from "../actor/observer.ts";
import type { ActorHost } from "../host/host.ts";

export const TRACER_NAME = "troupe";

/** Traces `host`'s actions and commits if a global tracer provider is registered now; returns what stops it. */
export function traceActors(host: ActorHost): (() => void) | undefined {
  const provider = trace.getTracerProvider() as Partial<ProxyTracerProvider>;
  // The global provider is a proxy whose delegate tracer is undefined until one is registered.
  const tracer = provider.getDelegateTracer?.(TRACER_NAME);
  return tracer === undefined ? undefined : host.observe(new ActorTracer(tracer));
}

function actorAttributes(actor: ObservedActor): Record<string, string> {
  return { "troupe.actor.name": actor.name, "troupe.actor.key": actor.key.join("/"), "troupe.actor.id": actor.id };
}

export class ActorTracer implements ActorObserver {
  readonly observesState = false;
  readonly #tracer: Tracer;
  readonly #spans = new WeakMap<ActionCall, Span>();
  /** The actions of each actor whose spans are open, latest last: a commit is a child of the latest. */
  readonly #open = new WeakMap<ObservedActor, ActionCall[]>();

  constructor(tracer: Tracer) {
    this.#tracer = tracer;
  }

  notify(event: ActorEvent): void {
    switch (event.type) {
      case "action.started":
        this.#actionStarted(event.actor, event.call);
        return;
      case "action.ended":
        this.#actionEnded(event.actor, event.call, event.error);
        return;
      case "commit": {
        const parent = this.#open.get(event.actor)?.at(-1);
        const parentSpan = parent === undefined ? undefined : this.#spans.get(parent);
        const ctx = parentSpan === undefined ? context.active() : trace.setSpan(context.active(), parentSpan);
        const span = this.#tracer.startSpan(
          `${event.actor.name} commit`,
          {
            kind: SpanKind.INTERNAL,
            startTime: event.at - event.durationMs,
            attributes: {
              ...actorAttributes(event.actor),
              "troupe.commit.writes": event.writes,
              "troupe.commit.bytes": event.bytes,
              "troupe.commit.state_written": event.stateWritten,
              "troupe.commit.group_size": event.groupSize,
            },
          },
          ctx,
        );
        if (event.error !== undefined) failed(span, event.error);
        span.end(event.at);
        return;
      }
    }
  }

  #actionStarted(actor: ObservedActor, call: ActionCall): void {
    // A child of whatever span is active where the call came from (the caller's, in-process).
    const span = this.#tracer.startSpan(`${actor.name}.${call.name}`, {
      kind: SpanKind.SERVER,
      attributes: {
        ...actorAttributes(actor),
        "troupe.action.name": call.name,
        ...(call.connId === undefined ? {} : { "troupe.conn.id": call.connId }),
      },
    });
    this.#spans.set(call, span);
    const open = this.#open.get(actor);
    if (open === undefined) this.#open.set(actor, [call]);
    else open.push(call);
  }

  #actionEnded(actor: ObservedActor, call: ActionCall, error: unknown): void {
    const span = this.#spans.get(call);
    if (span === undefined) return;
    this.#spans.delete(call);
    const open = this.#open.get(actor);
    if (open !== undefined) {
      const index = open.indexOf(call);
      if (index >= 0) open.splice(index, 1);
      if (open.length === 0) this.#open.delete(actor);
    }
    if (error !== undefined) failed(span, error);
    span.end();
  }
}

function failed(span: Span, error: unknown): void {
  const { group, code } = (error ?? {}) as { group?: unknown; code?: unknown };
  if (typeof group === "string" && typeof code === "string") span.setAttribute("troupe.error.code", `${group}.${code}`);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
