// The observation seam: a host's observers see what its actors do, as typed events; with none,
// no event is built.

import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { afterEach, expect, test, vi } from "vitest";
import type { ActorEvent, ActorObserver } from "../../src/actor/observer.ts";
import { decodeCbor } from "../../src/base/cbor.ts";

afterEach(() => {
  vi.useRealTimers();
});

const counter = actor({
  state: { count: 0, items: [] as string[] },
  actions: {
    increment: (c) => {
      c.state.count++;
      return c.state.count;
    },
    push: (c, item: string) => {
      c.state.items.push(item);
    },
    nap: (c) => c.sleep(),
    remove: (c) => c.destroy(),
  },
});
/** Its run handler returns at once: the actor then goes to sleep. */
const looper = actor({ run: async () => {} });
const registry = setup({ use: { counter, looper } });

class Recorder implements ActorObserver {
  observesState = false;
  readonly events: ActorEvent[] = [];
  notify(event: ActorEvent): void {
    this.events.push(event);
  }
  of<T extends ActorEvent["type"]>(type: T): Array<Extract<ActorEvent, { type: T }>> {
    return this.events.filter((e): e is Extract<ActorEvent, { type: T }> => e.type === type);
  }
}

test("with no observer the host has none; an observer sees events until it stops watching", async () => {
  const t = setupTest(registry);
  expect(t.host.observer).toBeUndefined();
  const recorder = new Recorder();
  const stop = t.host.observe(recorder);
  expect(t.host.observer).toBeDefined();
  const h = t.client.counter.getOrCreate(["a"]);
  await h.increment();
  expect(recorder.of("action.ended").map((e) => [e.call.name, e.ok, e.output])).toEqual([["increment", true, 1]]);
  stop();
  expect(t.host.observer).toBeUndefined();
  await h.increment();
  expect(recorder.of("action.ended")).toHaveLength(1);
});

test("an observer that throws is logged, not let into the actor", async () => {
  const t = setupTest(registry);
  t.host.observe({
    observesState: false,
    notify: () => {
      throw new Error("observer bug");
    },
  });
  const recorder = new Recorder();
  t.host.observe(recorder);
  expect(await t.client.counter.getOrCreate(["t"]).increment()).toBe(1);
  expect(recorder.of("action.ended")).toHaveLength(1);
});

test("stops carry their reason: idle, requested, destroy, run_ended, shutdown, crashed", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  const t = setupTest(registry);
  const recorder = new Recorder();
  t.host.observe(recorder);
  const reasons = () => recorder.of("actor.stopped").map((e) => [e.actor.name, e.kind, e.reason]);
  const stopped = (n: number) => vi.waitFor(() => expect(recorder.of("actor.stopped")).toHaveLength(n));

  const idle = t.client.counter.getOrCreate(["idle"]);
  await idle.increment();
  await vi.advanceTimersByTimeAsync(30_000);
  await stopped(1);
  await t.client.counter.getOrCreate(["nap"]).nap();
  await stopped(2);
  await t.client.counter.getOrCreate(["gone"]).remove();
  await stopped(3);
  await t.client.looper.getOrCreate(["l"]).resolve();
  await stopped(4);
  expect(reasons()).toEqual([
    ["counter", "sleep", "idle"],
    ["counter", "sleep", "requested"],
    ["counter", "destroy", "requested"],
    ["looper", "sleep", "run_ended"],
  ]);
  expect(recorder.of("actor.started").map((e) => [e.mode, e.cause])).toEqual([
    ["create", "create"],
    ["create", "create"],
    ["create", "create"],
    ["create", "create"],
  ]);

  // Woken by a call: the cause is the call's kind.
  await idle.increment();
  expect(recorder.of("actor.started").at(-1)).toMatchObject({ mode: "wake", cause: "action" });
  await t.restart();
  expect(reasons().at(-1)).toEqual(["counter", "sleep", "shutdown"]);
  t.host.observe(recorder);
  await idle.increment();
  await t.crash();
  expect(reasons().at(-1)).toEqual(["counter", "sleep", "crashed"]);
});

test("state changes carry the state before its first change and as committed, only while wanted", async () => {
  const t = setupTest(registry);
  const recorder = new Recorder();
  t.host.observe(recorder);
  const h = t.client.counter.getOrCreate(["s"]);
  await h.increment();
  expect(recorder.of("state.changed")).toEqual([]);
  expect(recorder.of("commit").length).toBeGreaterThan(0);

  recorder.observesState = true;
  await h.push("x");
  await h.increment();
  const changes = recorder.of("state.changed").map((e) => [e.before && decodeCbor(e.before), decodeCbor(e.after)]);
  expect(changes).toEqual([
    [
      { count: 1, items: [] },
      { count: 1, items: ["x"] },
    ],
    [
      { count: 1, items: ["x"] },
      { count: 2, items: ["x"] },
    ],
  ]);
  const commit = recorder.of("commit").at(-1);
  expect(commit).toMatchObject({ writes: 1, stateWritten: true, groupSize: 1 });
  expect(commit?.bytes).toBeGreaterThan(0);
});
