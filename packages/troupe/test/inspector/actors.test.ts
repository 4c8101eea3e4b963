// The registry route, the actor list (search by name, key prefix and status, paging), one actor's
// summary, and "why is it awake?". None of them wakes an actor.

import { expect, test } from "vitest";
import { serveInspected, until } from "./fixtures.ts";

test("the registry describes every actor: actions, features, queues, options", async () => {
  await using served = await serveInspected();
  const { body } = await served.api("GET", "/registry");
  expect(body).toMatchObject({ version: 1, runtime: "troupe" });
  const byName = Object.fromEntries((body.actors as Array<Record<string, unknown>>).map((a) => [a.name, a]));
  expect(Object.keys(byName)).toEqual(["counter", "worker", "crm", "flow", "plain"]);
  expect(byName.counter).toMatchObject({ state: true, database: false, workflow: false, run: false, queues: null, displayName: null });
  expect(byName.counter?.actions).toContain("increment");
  expect(byName.worker).toMatchObject({ state: false, queues: ["jobs", "other"] });
  expect(byName.crm).toMatchObject({ database: true });
  expect(byName.flow).toMatchObject({ workflow: true, run: true });
  expect(byName.plain).toMatchObject({ options: expect.objectContaining({ noSleep: true, sleepTimeout: 30_000 }) });
});

test("the list finds actors by name, key prefix and status, page by page, without waking any", async () => {
  await using served = await serveInspected();
  const ids: Record<string, string> = {};
  for (const key of [["room-1"], ["room-2", "a"], ["room-2", "b"], ["lobby"]]) ids[key.join("/")] = await served.id("counter", key);
  ids.plain = await served.id("plain", ["room-9"]);
  await served.sleep(ids["room-1"]!);
  await served.sleep(ids.lobby!);

  const list = async (query: string) => {
    const { status, body } = await served.api("GET", `/actors${query}`);
    expect(status, query).toBe(200);
    return body as { actors: Array<{ id: string; key: string[]; status: string }>; next: string | null };
  };
  const keys = (page: { actors: Array<{ key: string[] }> }) => page.actors.map((a) => a.key.join("/")).sort();

  expect(keys(await list(""))).toEqual(["lobby", "room-1", "room-2/a", "room-2/b", "room-9"]);
  expect(keys(await list("?name=counter&key=room-"))).toEqual(["room-1", "room-2/a", "room-2/b"]);
  expect(keys(await list("?key=room-2&key=b"))).toEqual(["room-2/b"]);
  expect(keys(await list("?key=room-2&key="))).toEqual(["room-2/a", "room-2/b"]);
  expect(keys(await list("?status=asleep"))).toEqual(["lobby", "room-1"]);
  expect(keys(await list("?status=awake&name=counter"))).toEqual(["room-2/a", "room-2/b"]);
  expect((await list("?status=asleep")).actors.every((a) => a.status === "asleep")).toBe(true);

  // Paging: every actor once, in id order, whatever the page size.
  for (const status of ["all", "awake"]) {
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await list(`?limit=2&status=${status}&cursor=${encodeURIComponent(cursor)}`);
      expect(page.actors.length).toBeLessThanOrEqual(2);
      seen.push(...page.actors.map((a) => a.id));
      cursor = page.next;
    }
    expect(seen, status).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(status === "all" ? 5 : 3);
  }
  expect(served.host.instances.has(ids["room-1"]!)).toBe(false);

  for (const bad of ["?limit=0", "?limit=501", "?limit=x", "?status=sleepy", "?cursor=%25%25"]) {
    const { status, body } = await served.api("GET", `/actors${bad}`);
    expect(status, bad).toBe(400);
    expect(body).toMatchObject({ group: "inspector", code: "invalid_request" });
  }
});

test("a summary says what the actor is, awake or asleep, with its queue and storage", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["s"]);
  const conn = handle.connect({ user: "ada" });
  await conn.increment(1);
  await handle.remind(60_000);
  const id = await handle.resolve();

  const awake = (await served.api("GET", `/actors/${id}`)).body;
  expect(awake).toMatchObject({ id, name: "counter", key: ["s"], status: "running", connections: 1, queueSize: 0 });
  expect(awake.epoch).toBe(1);
  expect(awake.createdAt).toBeTypeOf("number");
  // It woke before the inspector was first used: when is not known.
  expect(awake.wokenAt).toBeNull();
  expect(awake.nextAlarm).toBeGreaterThan(Date.now() + 50_000);
  expect(awake.queue).toEqual({ pending: 0, inFlight: 0, deadLetters: 0 });
  expect(awake.storage).toMatchObject({ complete: true });
  expect((awake.storage as { keys: number }).keys).toBeGreaterThan(0);

  await served.sleep(id);
  const asleep = (await served.api("GET", `/actors/${id}`)).body;
  expect(asleep).toMatchObject({ status: "asleep", wokenAt: null, queueSize: null, connections: 1, nextAlarm: awake.nextAlarm, epoch: 1 });
  expect(served.host.instances.has(id)).toBe(false);
  expect(await handle.count()).toBe(1);
  const woken = (await served.api("GET", `/actors/${id}`)).body;
  expect(woken).toMatchObject({ status: "running", epoch: 2 });
  expect(woken.wokenAt).toBeGreaterThanOrEqual(asleep.createdAt as number);
  expect(await served.api("GET", "/actors/nobody")).toMatchObject({ status: 404, body: { group: "actor", code: "not_found" } });
});

test("why is it awake? actions in flight, keepAwake, the idle deadline; never wakes a sleeping actor", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["w"]);
  const id = await handle.resolve();
  const awake = async () => (await served.api("GET", `/actors/${id}/awake`)).body;

  const idle = await awake();
  expect(idle).toMatchObject({ awake: true, status: "running", sleepable: true, keptAwakeBy: [], activity: 0, sleepTimeout: 30_000 });
  expect(idle.sleepsAt).toBe((idle.idleSince as number) + 30_000);

  const held = handle.hold();
  await handle.keep();
  await until("both in flight", async () => (await awake()).activity === 2);
  const busy = await awake();
  expect(busy).toMatchObject({ sleepable: false, idleSince: null, sleepsAt: null });
  expect(busy.keptAwakeBy).toEqual([
    { kind: "action", name: "hold", connId: expect.any(String), startedAt: expect.any(Number) },
    { kind: "keep_awake", count: 1 },
  ]);
  await handle.release();
  await held;
  await until("idle again", async () => (await awake()).sleepable === true);

  await served.sleep(id);
  expect(await awake()).toMatchObject({ awake: false, status: "asleep", sleepable: true, keptAwakeBy: [], sleepsAt: null });
  expect(served.host.instances.has(id)).toBe(false);

  const plain = await served.id("plain", ["p"]);
  const never = (await served.api("GET", `/actors/${plain}/awake`)).body;
  expect(never).toMatchObject({ sleepable: false, noSleep: true, keptAwakeBy: [{ kind: "no_sleep" }], sleepsAt: null });
});
