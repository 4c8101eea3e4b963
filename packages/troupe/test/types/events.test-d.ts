import { actor, createClient as createLocalClient, event, setup } from "troupe";
import { createClient as createRemoteClient } from "troupe/client";
import { describe, expectTypeOf, test } from "vitest";

const room = actor({
  state: { members: [] as string[] },
  events: {
    joined: event<{ user: string }>(),
    count: event<number>(),
    closed: event<void>(),
  },
  actions: { join: (c, user: string) => c.broadcast("joined", { user }) },
});
const plain = actor({ state: {}, actions: { ping: (c) => c.broadcast("anything", 1, 2) } });
const registry = setup({ use: { room, plain } });

const clients = {
  inProcess: createLocalClient(registry),
  remote: createRemoteClient<typeof registry>("http://127.0.0.1:6420"),
};

describe.each(Object.entries(clients))("declared events reach conn.on (%s client)", (_name, client) => {
  test("names and payload types", () => {
    const conn = client.room.getOrCreate("r").connect();
    conn.on("joined", (payload) => expectTypeOf(payload).toEqualTypeOf<{ user: string }>());
    conn.once("count", (n) => expectTypeOf(n).toEqualTypeOf<number>());
    conn.on("closed", () => {});
    expectTypeOf(conn.on("count", () => {})).toEqualTypeOf<() => void>();
  });

  test("a misspelt or undeclared name, or a wrong payload type, does not compile", () => {
    const conn = client.room.getOrCreate("r").connect();
    // @ts-expect-error misspelt event name
    conn.on("joind", () => {});
    // @ts-expect-error misspelt event name
    conn.once("cuont", () => {});
    // @ts-expect-error the payload is a number
    conn.on("count", (n: string) => n);
  });

  test("an actor that declares no events takes any name, with unknown arguments", () => {
    const conn = client.plain.getOrCreate("p").connect();
    conn.on("anything", (...args) => expectTypeOf(args).toEqualTypeOf<unknown[]>());
    conn.once("other", () => {});
  });
});
