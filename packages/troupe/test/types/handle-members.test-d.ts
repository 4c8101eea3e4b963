import { actor, createClient as createLocalClient, setup } from "troupe";
import { createClient as createRemoteClient } from "troupe/client";
import { describe, expectTypeOf, test } from "vitest";
import type { ActorConnMethods, ActorHandleMethods, QueueMethods } from "../../src/client/types.ts";
import type { CONN_MEMBERS, HANDLE_MEMBERS } from "../../src/protocol/handle-members.ts";

const shadow = actor({
  state: {},
  actions: {
    send: (_c, x: number) => `send:${x}`,
    resolve: () => 42,
    fetch: () => "fetch",
    on: (_c, name: string) => name.length,
    connect: () => true,
    plain: (_c, x: number) => x * 2,
    chat: { post: (_c, text: string) => text.length },
  },
});
const registry = setup({ use: { shadow } });
const clients = {
  inProcess: createLocalClient(registry),
  remote: createRemoteClient<typeof registry>("http://127.0.0.1:6420"),
};

describe.each(Object.entries(clients))("a member hides an action of its name (%s client)", (_name, client) => {
  test("the types say the built-in, as the run time does", () => {
    const handle = client.shadow.getOrCreate("a");
    expectTypeOf(handle.resolve).toEqualTypeOf<() => Promise<string>>();
    expectTypeOf(handle.fetch).toEqualTypeOf<(input: string | URL | Request, init?: RequestInit) => Promise<Response>>();
    expectTypeOf(handle.send).toEqualTypeOf<QueueMethods<typeof shadow>["send"]>();
    expectTypeOf(handle.plain).toEqualTypeOf<(x: number) => Promise<number>>();
    const conn = handle.connect();
    expectTypeOf(conn.on).toEqualTypeOf<ActorConnMethods<typeof shadow>["on"]>();
    // A connection has no `connect` or `resolve`: there they are the actions.
    expectTypeOf(conn.connect).toEqualTypeOf<() => Promise<boolean>>();
    expectTypeOf(conn.resolve).toEqualTypeOf<() => Promise<number>>();
  });

  test("action({ name, args }) reaches any action, typed by name", () => {
    const handle = client.shadow.getOrCreate("a");
    expectTypeOf(handle.action({ name: "resolve" })).toEqualTypeOf<Promise<number>>();
    expectTypeOf(handle.action({ name: "send", args: [1] })).toEqualTypeOf<Promise<string>>();
    expectTypeOf(handle.action({ name: "chat.post", args: ["hi"] })).toEqualTypeOf<Promise<number>>();
    expectTypeOf(handle.connect().action({ name: "on", args: ["x"] })).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error unknown action
    handle.action({ name: "sned" });
    // @ts-expect-error wrong argument type
    handle.action({ name: "send", args: ["1"] });
    // @ts-expect-error a group, not an action
    handle.action({ name: "chat" });
  });
});

test("an untyped client takes any action name", () => {
  const client = createRemoteClient("http://127.0.0.1:6420");
  expectTypeOf(client.anything!.getOrCreate("a").action({ name: "whatever", args: [1, "x"] })).toEqualTypeOf<Promise<unknown>>();
});

test("the member lists name exactly the members of the handle and connection types", () => {
  expectTypeOf<(typeof HANDLE_MEMBERS)[number]>().toEqualTypeOf<keyof ActorHandleMethods<unknown> | keyof QueueMethods<unknown>>();
  expectTypeOf<(typeof CONN_MEMBERS)[number]>().toEqualTypeOf<keyof ActorConnMethods | keyof QueueMethods<unknown>>();
});
