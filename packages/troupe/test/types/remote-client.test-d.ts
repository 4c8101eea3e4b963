import { actor, setup } from "troupe";
import { type ActorError, createClient } from "troupe/client";
import { describe, expectTypeOf, test } from "vitest";

const counter = actor({
  state: { count: 0 },
  createConnState: (_c, params: { user: string }) => ({ user: params.user }),
  actions: {
    increment: (c, by: number) => (c.state.count += by),
    math: { double: (_c, x: number) => x * 2 },
  },
});
const registry = setup({ use: { counter } });

describe("the network client learns every type from `typeof registry`", () => {
  const client = createClient<typeof registry>("http://127.0.0.1:6420", { encoding: "json", token: "t" });
  test("handles, connections, params and raw access", () => {
    const handle = client.counter.getOrCreate(["k"], { getParams: async () => ({ user: "ada" }) });
    expectTypeOf(handle.increment).toEqualTypeOf<(by: number) => Promise<number>>();
    expectTypeOf(handle.math.double).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(handle.fetch).returns.toEqualTypeOf<Promise<Response>>();
    expectTypeOf(handle.webSocket).returns.toEqualTypeOf<Promise<WebSocket>>();
    const conn = handle.connect({ user: "bob" });
    expectTypeOf(conn.increment).parameter(0).toEqualTypeOf<number>();
    // @ts-expect-error params have the type createConnState declares
    handle.connect({ name: "x" });
    // @ts-expect-error no such action
    void handle.decrement;
    expectTypeOf<ActorError["group"]>().toEqualTypeOf<string>();
  });
});
