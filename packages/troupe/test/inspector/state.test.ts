// State through the inspector: read live or as stored, replaced and patched through the normal
// commit path (durable before the reply, seen by later actions, logged as an inspector write).

import { expect, test } from "vitest";
import { serveInspected } from "./fixtures.ts";

const initial = {
  count: 0,
  tags: { $troupe: "set", values: ["a"] },
  notes: { $troupe: "map", entries: [] },
  when: { $troupe: "date", iso: "1970-01-01T00:00:00.000Z" },
};

test("reads the state live, and as stored while the actor sleeps, without waking it", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["r"]);
  await handle.increment(2);
  const id = await handle.resolve();
  expect((await served.api("GET", `/actors/${id}/state`)).body).toEqual({ state: { ...initial, count: 2 }, awake: true });
  await served.sleep(id);
  expect((await served.api("GET", `/actors/${id}/state`)).body).toEqual({ state: { ...initial, count: 2 }, awake: false });
  expect(served.host.instances.has(id)).toBe(false);

  const worker = await served.id("worker", ["w"]);
  expect(await served.api("GET", `/actors/${worker}/state`)).toMatchObject({
    status: 404,
    body: { group: "inspector", code: "not_enabled", metadata: { feature: "state" } },
  });
});

test("PUT replaces the state: committed before the reply, seen by later actions, on the stream as an inspector write", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["p"]);
  const id = await handle.resolve();
  await served.sleep(id);
  const stream = await served.stream(`?actor=${id}&kind=inspector&kind=state`);

  const next = { ...initial, count: 41, notes: { $troupe: "map", entries: [["k", "v"]] }, extra: { $troupe: "bigint", value: "12" } };
  const put = await served.api("PUT", `/actors/${id}/state`, { body: { state: next } });
  expect(put).toMatchObject({ status: 200, body: { state: next } });
  // Durable: read straight from storage, and the action sees it.
  await served.sleep(id);
  expect((await served.api("GET", `/actors/${id}/state`)).body.state).toEqual(next);
  expect(await handle.increment(1)).toBe(42);
  const state = (await handle.state()) as unknown as { notes: Map<string, string>; extra: bigint };
  expect(state.notes).toEqual(new Map([["k", "v"]]));
  expect(state.extra).toBe(12n);

  const write = await stream.waitFor("inspector write", (e) => e.event === "inspector.write");
  expect(write.data).toEqual({ method: "PUT", path: `/inspector/v1/actors/${id}/state` });
  const changed = await stream.waitFor("state change", (e) => e.event === "state.changed" && e.seq > write.seq);
  expect(changed.data.changes).toEqual(
    expect.arrayContaining([
      { path: "/count", op: "replace", old: 0, new: 41 },
      { path: "/notes/k", op: "add", new: "v" },
      { path: "/extra", op: "add", new: { $troupe: "bigint", value: "12" } },
    ]),
  );

  for (const [body, param] of [
    [{}, "state"],
    [{ state: { $troupe: "nope" } }, "state"],
    [[1], "body"],
  ] as const) {
    const bad = await served.api("PUT", `/actors/${id}/state`, { body });
    expect(bad, JSON.stringify(body)).toMatchObject({ status: 400, body: { code: "invalid_request", metadata: { param } } });
  }
  const notJson = await served.api("PUT", `/actors/${id}/state`, { raw: "not json" });
  expect(notJson).toMatchObject({ status: 400, body: { code: "invalid_request" } });
  expect(await handle.count()).toBe(42);
});

test("PATCH applies a JSON Patch whole or not at all; a failed test is a conflict", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["j"]);
  await handle.increment(3);
  const id = await handle.resolve();
  const patch = (ops: unknown) => served.api("PATCH", `/actors/${id}/state`, { body: ops });

  const ok = await patch([
    { op: "test", path: "/count", value: 3 },
    { op: "replace", path: "/count", value: 10 },
    { op: "add", path: "/notes/who", value: "ada" },
    { op: "add", path: "/list", value: [1, 2] },
    { op: "add", path: "/list/-", value: 3 },
    { op: "move", from: "/list/0", path: "/first" },
    { op: "copy", from: "/notes/who", path: "/by" },
    { op: "remove", path: "/when" },
  ]);
  expect(ok.status).toBe(200);
  expect(ok.body.state).toEqual({
    count: 10,
    tags: { $troupe: "set", values: ["a"] },
    notes: { $troupe: "map", entries: [["who", "ada"]] },
    list: [2, 3],
    first: 1,
    by: "ada",
  });
  expect(await handle.count()).toBe(10);

  const conflict = await patch([
    { op: "replace", path: "/count", value: 99 },
    { op: "test", path: "/count", value: 3 },
  ]);
  expect(conflict).toMatchObject({
    status: 409,
    body: { group: "inspector", code: "patch_conflict", metadata: { index: 1, path: "/count" } },
  });
  for (const [ops, index] of [
    [
      [
        { op: "replace", path: "/count", value: 1 },
        { op: "remove", path: "/missing" },
      ],
      1,
    ],
    [[{ op: "jump", path: "/count" }], 0],
    [[{ op: "add", path: "count", value: 1 }], 0],
    [[{ op: "add", path: "/list/9", value: 1 }], 0],
    [[{ op: "replace", path: "/count" }], 0],
    [[{ op: "move", from: "/notes", path: "/notes/inner" }], 0],
    [[{ op: "remove", path: "" }], 0],
  ] as const) {
    const bad = await patch(ops);
    expect(bad, JSON.stringify(ops)).toMatchObject({ status: 400, body: { code: "invalid_patch", metadata: { index } } });
  }
  expect(await patch({ op: "add" })).toMatchObject({ status: 400, body: { code: "invalid_request" } });
  // Nothing of the refused patches applied.
  expect(await handle.count()).toBe(10);
});
