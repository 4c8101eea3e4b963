import { actor, event, setup } from "troupe";
import type { ConnStatus } from "troupe/client";
import { createRivetKit, createTroupeContext, createTroupeContextWithClient, createClient } from "troupe/react";
import { describe, expectTypeOf, test } from "vitest";

const room = actor({
  events: { posted: event<{ text: string }>(), cleared: event<number>() },
  createState: (_c, input: { topic: string }) => ({ topic: input.topic, count: 0 }),
  createConnState: (_c, params: { user: string }) => ({ user: params.user }),
  actions: {
    increment: (c, by: number) => (c.state.count += by),
    topic: (c) => c.state.topic,
    math: { double: (_c, x: number) => x * 2 },
  },
});
const other = actor({ state: {}, actions: { ping: () => "pong" as const, shout: (c) => c.broadcast("anything", 1) } });
const registry = setup({ use: { room, other } });

// Hooks are only typechecked here, never run.
const { useActor, client } = createTroupeContext<typeof registry>("http://127.0.0.1:6420");

describe("troupe/react learns every type from `typeof registry`", () => {
  test("useActor's result is the actor's handle and connection, typed", () => {
    const chat = useActor({ name: "room", key: ["r"], params: { user: "ada" }, createWithInput: { topic: "t" } });
    expectTypeOf(chat.connection?.increment).toEqualTypeOf<((by: number) => Promise<number>) | undefined>();
    expectTypeOf(chat.handle?.math.double).toEqualTypeOf<((x: number) => Promise<number>) | undefined>();
    expectTypeOf(chat.connStatus).toEqualTypeOf<ConnStatus>();
    expectTypeOf(chat.isConnected).toEqualTypeOf<boolean>();
    expectTypeOf(chat.error).toEqualTypeOf<Error | null>();
    expectTypeOf(chat.hash).toEqualTypeOf<string>();
    expectTypeOf(chat.opts.name).toEqualTypeOf<"room">();
    expectTypeOf(chat.useEvent<"posted">).returns.toEqualTypeOf<void>();
    chat.useEvent("posted", (post) => expectTypeOf(post).toEqualTypeOf<{ text: string }>());
    chat.useEvent("cleared", (count) => expectTypeOf(count).toEqualTypeOf<number>());
    const ping = useActor({ name: "other", key: "o", enabled: false, noCreate: true });
    expectTypeOf(ping.connection?.ping).toEqualTypeOf<(() => Promise<"pong">) | undefined>();
    // An actor that declares no events: any name, payloads unknown.
    ping.useEvent("anything", (...args) => expectTypeOf(args).toEqualTypeOf<unknown[]>());
    expectTypeOf(client.room.getOrCreate).toBeFunction();
  });

  test("wrong names, params, inputs and actions do not compile", () => {
    // @ts-expect-error unknown actor
    useActor({ name: "nope", key: "x" });
    // @ts-expect-error params have the type createConnState declares
    useActor({ name: "room", params: { name: "x" } });
    // @ts-expect-error the input has the type createState declares
    useActor({ name: "room", createWithInput: { title: "x" } });
    const chat = useActor({ name: "room" });
    // @ts-expect-error no such action
    void chat.connection?.decrement;
    // @ts-expect-error wrong argument type
    void chat.connection?.increment("1");
    // @ts-expect-error a misspelt event name
    chat.useEvent("postd", () => {});
    // @ts-expect-error the payload is { text: string }
    chat.useEvent("posted", (post: string) => post);
  });

  test("the RivetKit names make the same hooks, from an endpoint, client options or a client", () => {
    expectTypeOf(createRivetKit<typeof registry>).toEqualTypeOf(createTroupeContext<typeof registry>);
    const ported = createRivetKit<typeof registry>({ endpoint: "http://127.0.0.1:6420", encoding: "json" });
    expectTypeOf(ported.useActor({ name: "other" }).connection?.ping).toEqualTypeOf<(() => Promise<"pong">) | undefined>();
    const withClient = createTroupeContextWithClient(createClient<typeof registry>("http://127.0.0.1:6420"), { cleanupDelay: 1_000 });
    expectTypeOf(withClient.useActor({ name: "room" }).handle?.topic).toEqualTypeOf<(() => Promise<string>) | undefined>();
  });
});
