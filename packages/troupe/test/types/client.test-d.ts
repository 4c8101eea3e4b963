import { actor, createClient, setup } from "troupe";
import { describe, expectTypeOf, test } from "vitest";

const counter = actor({
  state: { count: 0 },
  createVars: () => ({ started: new Date() }),
  createConnState: (_c, params: { user: string }) => ({ user: params.user, calls: 0 }),
  actions: {
    increment: (c, by: number) => {
      expectTypeOf(c.state.count).toEqualTypeOf<number>();
      expectTypeOf(c.vars.started).toEqualTypeOf<Date>();
      expectTypeOf(c.conn.state.user).toEqualTypeOf<string>();
      expectTypeOf(c.conn.params).toEqualTypeOf<{ user: string }>();
      c.state.count += by;
      return c.state.count;
    },
    asyncLabel: async (_c, label: string, times?: number) => label.repeat(times ?? 1),
    nothing: () => {},
    math: { double: (_c, x: number) => x * 2 },
  },
});
const room = actor({
  createState: (_c, input: { topic: string }) => ({ topic: input.topic, members: [] as string[] }),
  actions: { topic: (c) => c.state.topic },
});
const registry = setup({ use: { counter, room } });
const client = createClient<typeof registry>(registry);

describe("types flow from the definitions to the client", () => {
  test("actions keep their argument and result types", () => {
    const handle = client.counter.getOrCreate(["a"]);
    expectTypeOf(handle.increment).toEqualTypeOf<(by: number) => Promise<number>>();
    expectTypeOf(handle.asyncLabel).toEqualTypeOf<(label: string, times?: number) => Promise<string>>();
    expectTypeOf(handle.nothing).toEqualTypeOf<() => Promise<void>>();
    expectTypeOf(handle.math.double).toEqualTypeOf<(x: number) => Promise<number>>();
    expectTypeOf(handle.resolve).toEqualTypeOf<() => Promise<string>>();
  });

  test("connections have the same action proxies", () => {
    const conn = client.counter.getOrCreate("a").connect({ user: "ada" });
    expectTypeOf(conn.increment).toEqualTypeOf<(by: number) => Promise<number>>();
    expectTypeOf(conn.dispose).toEqualTypeOf<() => Promise<void>>();
  });

  test("wrong action names, arguments and inputs do not compile", () => {
    const handle = client.counter.getOrCreate("a");
    // @ts-expect-error unknown action
    handle.decrement(1);
    // @ts-expect-error wrong argument type
    handle.increment("1");
    // @ts-expect-error missing argument
    handle.increment();
    // @ts-expect-error wrong connection params
    handle.connect({ name: "x" });
    // @ts-expect-error unknown actor
    client.nope.getOrCreate("x");
    // @ts-expect-error wrong create input
    client.room.create("r", { input: { title: "x" } });
    // @ts-expect-error wrong createWithInput
    client.room.getOrCreate("r", { createWithInput: { topic: 1 } });
    expectTypeOf(client.room.getOrCreate("r", { createWithInput: { topic: "ok" } }).topic).toEqualTypeOf<() => Promise<string>>();
  });
});
