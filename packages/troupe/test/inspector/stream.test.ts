// The live stream: events in the order they happen, filtered by actor, name and kind, with their
// data (arguments, results, errors, state diffs, commits, lifecycle).

import { expect, test } from "vitest";
import { serveInspected, type StreamEvent, until } from "./fixtures.ts";

const names = (events: StreamEvent[]) => events.map((e) => e.event);

test("an action's events arrive in order: started, broadcast, state change, commit, ended", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["o"]);
  const id = await handle.resolve();
  const stream = await served.stream(`?actor=${id}`);
  expect(stream.messages[0]).toEqual({ type: "ready", version: 1, filter: { actors: [id] } });

  expect(await handle.increment(2)).toBe(2);
  await stream.waitFor("action ended", (e) => e.event === "action.ended");
  expect(names(stream.events)).toEqual(["action.started", "broadcast", "state.changed", "commit", "action.ended"]);
  expect(stream.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  const [started, broadcast, changed, commit, ended] = stream.events as [StreamEvent, StreamEvent, StreamEvent, StreamEvent, StreamEvent];
  expect(started).toMatchObject({ kind: "action", actor: { id, name: "counter", key: ["o"] }, at: expect.any(Number) });
  expect(started.data).toEqual({ callId: expect.any(Number), name: "increment", args: [2], connId: expect.any(String) });
  expect(broadcast.data).toEqual({ name: "changed", args: [2] });
  expect(changed.data).toEqual({ changes: [{ path: "/count", op: "replace", old: 0, new: 2 }], truncated: false });
  expect(commit.data).toMatchObject({ writes: 1, stateWritten: true, groupSize: 1, durationMs: expect.any(Number) });
  expect(ended.data).toEqual({ ...started.data, durationMs: expect.any(Number), ok: true, output: 2 });
});

test("errors: a user error as the caller saw it; an unexpected one also with what was thrown", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["e"]);
  const id = await handle.resolve();
  const stream = await served.stream(`?actor=${id}&kind=action`);
  await expect(handle.fail()).rejects.toMatchObject({ code: "bad_thing" });
  await expect(handle.crash()).rejects.toMatchObject({ code: "internal_error" });
  const ended = () => stream.events.filter((e) => e.event === "action.ended");
  await until("two ended", () => ended().length === 2);
  expect(ended()[0]?.data).toMatchObject({
    ok: false,
    error: { group: "user", code: "bad_thing", message: "nope", metadata: { why: "test" } },
  });
  expect(ended()[1]?.data.error).toEqual({
    group: "actor",
    code: "internal_error",
    message: "An internal error occurred",
    internal: { name: "Error", message: "secret detail", stack: expect.stringContaining("secret detail") },
  });
});

test("filters by actor name and kind, and a filter message replaces the filter", async () => {
  await using served = await serveInspected();
  const counter = served.client.counter.getOrCreate(["f"]);
  const worker = served.client.worker.getOrCreate(["f"]);
  await counter.resolve();
  await worker.resolve();
  const stream = await served.stream("?name=worker&kind=queue");

  await counter.increment(1);
  await worker.send("jobs", { n: 1 });
  expect(await worker.take()).toEqual({ n: 1 });
  await stream.waitFor("received", (e) => e.event === "queue.received");
  expect(names(stream.events)).toEqual(["queue.sent", "queue.received"]);
  expect(stream.events[1]?.data).toEqual({ messageId: 1, queue: "jobs", attempts: 0, completable: false });
  expect(stream.events.every((e) => e.actor.name === "worker")).toBe(true);

  stream.send({ type: "filter", filter: { names: ["counter"], kinds: ["broadcast"] } });
  await until("ready again", () => stream.messages.filter((m) => m.type === "ready").length === 2);
  expect(stream.messages.at(-1)).toEqual({ type: "ready", version: 1, filter: { names: ["counter"], kinds: ["broadcast"] } });
  await counter.increment(1);
  await worker.send("jobs", { n: 2 });
  await stream.waitFor("broadcast", (e) => e.event === "broadcast");
  expect(names(stream.events)).toEqual(["queue.sent", "queue.received", "broadcast"]);

  for (const bad of [{ type: "filter", filter: { kinds: ["nope"] } }, { type: "other" }, "not json"]) {
    stream.socket.send(typeof bad === "string" ? bad : JSON.stringify(bad));
  }
  await until("three errors", () => stream.messages.filter((m) => m.type === "error").length === 3);
  expect(stream.messages.filter((m) => m.type === "error").every((m) => m.code === "invalid_request")).toBe(true);
  const refused = await served.api("GET", "/stream");
  expect(refused).toMatchObject({ status: 426, body: { code: "upgrade_required" } });
});

test("lifecycle, connections and alarms: sleep and wake with their reason and cause", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["l"]);
  const id = await handle.resolve();
  const stream = await served.stream(`?actor=${id}&kind=lifecycle&kind=connection&kind=alarm`);

  await handle.nap();
  const stopped = await stream.waitFor("stopped", (e) => e.event === "actor.stopped");
  expect(stopped.data).toEqual({ kind: "sleep", reason: "requested", durationMs: expect.any(Number) });
  const conn = handle.connect({ user: "ada" });
  await conn.count();
  const started = await stream.waitFor("started", (e) => e.event === "actor.started");
  expect(started.data).toEqual({ mode: "wake", cause: "connect", durationMs: expect.any(Number) });
  const opened = await stream.waitFor("opened", (e) => e.event === "connection.opened");
  expect(opened.data).toEqual({ connId: expect.any(String), params: { user: "ada" } });
  await conn.dispose();
  await stream.waitFor("closed", (e) => e.event === "connection.closed");

  await served.host.withInstance(id, "alarm", (instance) => instance.runAlarms(Date.now()));
  expect((await stream.waitFor("alarm", (e) => e.event === "alarm.fired")).data).toEqual({ durationMs: expect.any(Number) });

  const created = await served.stream("?name=plain&kind=lifecycle");
  await served.id("plain", ["new"]);
  expect((await created.waitFor("created", (e) => e.event === "actor.started")).data).toMatchObject({ mode: "create", cause: "create" });
});

test("state diffs name each changed path, and a closed stream stops the diffing", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["d"]);
  const id = await handle.resolve();
  const stream = await served.stream(`?actor=${id}&kind=state`);
  await served.api("PATCH", `/actors/${id}/state`, {
    body: [
      { op: "add", path: "/tags", value: { $troupe: "set", values: ["a", "b"] } },
      { op: "add", path: "/notes/x~1y", value: "1" },
      { op: "add", path: "/big", value: "z".repeat(10_000) },
    ],
  });
  const changed = await stream.waitFor("changed", (e) => e.event === "state.changed");
  expect(changed.data).toEqual({
    changes: [
      { path: "/tags", op: "replace", old: { $troupe: "set", values: ["a"] }, new: { $troupe: "set", values: ["a", "b"] } },
      { path: "/notes/x~1y", op: "add", new: "1" },
      { path: "/big", op: "add", new: { $troupe: "truncated", size: 10_002, preview: expect.any(String) } },
    ],
    truncated: false,
  });
  expect(served.host.observer?.observesState).toBe(true);
  stream.close();
  await until("unsubscribed", () => served.host.observer?.observesState === false);
});
