// OpenTelemetry spans: with a tracer provider registered, each action is a span (a child of the
// caller's active span) and each commit a span under the action that waited for it; without one,
// nothing watches the actors.

import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { pino } from "pino";
import { actor, setup, UserError } from "troupe";
import { afterEach, expect, test } from "vitest";
import { MemoryDriver } from "../../src/storage/memory/driver.ts";

const counter = actor({
  state: { count: 0 },
  actions: {
    increment: (c, by: number) => {
      c.state.count += by;
      return c.state.count;
    },
    fail: () => {
      throw new UserError("nope", { code: "bad_thing" });
    },
  },
});

const registry = setup({ use: { counter }, storage: { driver: "memory" }, logging: { level: "silent" } });

function runtime() {
  return registry.createRuntime(new MemoryDriver(), pino({ level: "silent" }));
}

afterEach(() => {
  trace.disable();
  context.disable();
});

test("without a registered tracer provider, nothing watches the actors", async () => {
  const rt = runtime();
  try {
    expect(rt.host.observer).toBeUndefined();
    expect(await rt.client.counter.getOrCreate(["a"]).increment(1)).toBe(1);
  } finally {
    await rt.shutdown();
  }
});

test("actions and commits become spans, with the actor's name, key and id; a failure is an error span", async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  // As the Node SDK does: the active span follows async calls, so the caller's span is the action's parent.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const rt = runtime();
  try {
    const handle = rt.client.counter.getOrCreate(["room", "1"]);
    const id = await handle.resolve();
    exporter.reset();

    const caller = provider.getTracer("test").startSpan("caller");
    await context.with(trace.setSpan(context.active(), caller), () => handle.increment(2));
    caller.end();
    await expect(handle.fail()).rejects.toMatchObject({ code: "bad_thing" });

    const spans = exporter.getFinishedSpans();
    const action = spans.find((s) => s.name === "counter.increment");
    const commit = spans.find((s) => s.name === "counter commit");
    const failed = spans.find((s) => s.name === "counter.fail");
    expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(["counter.increment", "counter commit", "counter.fail"]));
    expect(action?.attributes).toMatchObject({
      "troupe.actor.name": "counter",
      "troupe.actor.key": "room/1",
      "troupe.actor.id": id,
      "troupe.action.name": "increment",
    });
    expect(action?.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
    expect(action?.status.code).toBe(SpanStatusCode.UNSET);
    expect(commit?.parentSpanContext?.spanId).toBe(action?.spanContext().spanId);
    expect(commit?.attributes).toMatchObject({ "troupe.actor.id": id, "troupe.commit.state_written": true, "troupe.commit.group_size": 1 });
    expect(commit?.attributes["troupe.commit.writes"]).toBeGreaterThanOrEqual(1);
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.attributes["troupe.error.code"]).toBe("user.bad_thing");
  } finally {
    await rt.shutdown();
  }
});
