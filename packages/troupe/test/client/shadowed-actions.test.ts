// Actions whose names a handle or connection keeps for itself (send, connect, fetch, resolve, on,
// toString, ...): the built-in wins on both clients, `action({ name, args })` reaches the action,
// and `actor()` warns when it is defined.

import { actor, createClient as createLocalClient, setup } from "troupe";
import { createClient as createRemoteClient } from "troupe/client";
import { afterEach, describe, expect, onTestFinished, test, vi } from "vitest";
import { ActorConnImpl } from "../../src/client/connection.ts";
import { ActorHandleImpl } from "../../src/client/handle.ts";
import { CONN_MEMBERS, HANDLE_MEMBERS } from "../../src/protocol/handle-members.ts";

afterEach(() => vi.restoreAllMocks());

function defineShadowing() {
  return actor({
    state: {},
    actions: {
      send: (_c, x: number) => `send:${x}`,
      connect: () => "connect",
      fetch: () => "fetch",
      resolve: () => "resolve",
      on: (_c, name: string) => `on:${name}`,
      toString: () => "toString",
      plain: (_c, x: number) => x * 2,
      // biome-ignore lint/suspicious/noThenProperty: an action named "then" is what this test is about.
      group: { then: () => "group.then", ok: () => "group.ok" },
    },
  });
}

test("actor() warns about each action a handle or connection member hides, and about no other", () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  defineShadowing();
  const warnings = warn.mock.calls.map((call) => String(call[0]));
  const hidden = warnings.map((text) => /the action "([^"]+)" is hidden on client (.+?) by/.exec(text)?.slice(1));
  expect(hidden).toEqual([
    ["send", "handles and connections"],
    ["connect", "handles"],
    ["fetch", "handles"],
    ["resolve", "handles"],
    ["on", "connections"],
    ["toString", "handles and connections"],
    ["group.then", "handles and connections"],
  ]);
  expect(warnings[0]).toContain('handle.action({ name: "send", args })');
});

describe.each(["in-process", "remote"] as const)("%s client", (kind) => {
  test("the built-in wins; action({ name, args }) reaches the hidden action", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const registry = setup({ use: { shadow: defineShadowing() }, storage: { driver: "memory" }, logging: { level: "silent" } });
    const server = kind === "remote" ? await registry.serve({ host: "127.0.0.1", port: 0 }) : undefined;
    const client = server ? createRemoteClient<typeof registry>(server.url) : createLocalClient(registry);
    onTestFinished(async () => {
      await client.dispose();
      await server?.close();
      await registry.shutdown();
    });

    const handle = client.shadow.getOrCreate("a");
    const id = await handle.resolve();
    expect(id, "handle.resolve() is the built-in: the actor's id").toMatch(/\S/);
    expect(id).not.toBe("resolve");
    expect(await handle.action({ name: "resolve" })).toBe("resolve");
    expect(await handle.action({ name: "send", args: [1] })).toBe("send:1");
    expect(await handle.action({ name: "fetch" })).toBe("fetch");
    expect(await handle.action({ name: "group.then" })).toBe("group.then");
    expect(await handle.plain(2)).toBe(4);
    expect(await handle.group.ok()).toBe("group.ok");
    expect(String(handle)).toBe("[object Object]");
    expect(await handle.action({ name: "toString" })).toBe("toString");
    // handle.send is the queue send: it enqueues on the default queue.
    await expect(handle.send("default", { n: 1 })).resolves.toBeUndefined();

    const conn = handle.connect();
    await conn.ready;
    expect(typeof conn.on("changed", () => {})).toBe("function");
    expect(await conn.action({ name: "on", args: ["x"] })).toBe("on:x");
    expect(await conn.action({ name: "send", args: [2] })).toBe("send:2");
    expect(await conn.connect(), "a connection has no connect(): the action is reached").toBe("connect");
    expect(await conn.plain(3)).toBe(6);
    await conn.dispose();
  });
});

test("the member lists are exactly what a handle and a connection have", async () => {
  const registry = setup({ use: { plain: actor({ actions: { ping: () => "pong" } }) }, storage: { driver: "memory" } });
  const client = createLocalClient(registry);
  const conn = client.plain.getOrCreate("a").connect();
  await conn.ready;
  const members = (proto: object, instance: object) =>
    [...Object.getOwnPropertyNames(proto).filter((name) => name !== "constructor"), ...Object.keys(instance)].sort();
  expect(members(ActorHandleImpl.prototype, {})).toEqual([...HANDLE_MEMBERS].sort());
  expect(members(ActorConnImpl.prototype, conn)).toEqual([...CONN_MEMBERS].sort());
  await client.dispose();
  await registry.shutdown();
});
