// Item 1 of RivetKit compatibility: every config key RivetKit accepts starts, those with meaning
// here work, the others warn once naming the key and the reason, and a typo names the nearest key.

import { actor, setup } from "troupe";
import { afterEach, describe, expect, test, vi } from "vitest";
import { open, schema, TARGETS } from "./harness.ts";

const positive = schema<[number]>((args) =>
  Array.isArray(args) && typeof args[0] === "number" && args[0] > 0 ? undefined : "expected a positive number",
);
const named = schema<{ name: string }>((params) =>
  typeof params === "object" && params !== null && typeof (params as { name?: unknown }).name === "string" ? undefined : "name is required",
);

/** Every key RivetKit's actor() takes, the ones without meaning here included. */
const everyKey = () =>
  actor({
    state: { count: 0 },
    types: { state: { count: 0 } },
    actionInputSchemas: { add: positive, math: { double: positive } },
    connParamsSchema: named,
    inspector: { tabs: [] },
    createConnState: (_c, params: { name: string }) => ({ name: params.name }),
    options: {
      canHibernateWebSocket: false,
      onMigrateTimeout: 1_000,
      connectionLivenessTimeout: 2_500,
      connectionLivenessInterval: 5_000,
      enableActorRuntimeSocket: false,
      onDestroyTimeout: 1_000,
      waitUntilTimeout: 1_000,
      preloadMaxWorkflowBytes: 1,
      preloadMaxConnectionsBytes: 1,
      maxSchedules: 10,
    },
    actions: {
      add: (c, by: number) => (c.state.count += by),
      whoami: (c) => c.conn.state.name,
      math: { double: (_c, n: number) => n * 2 },
    },
  });

afterEach(() => {
  vi.restoreAllMocks();
});

// First in the file: a warning is written once per process.
test("keys without meaning here warn once, naming the key and why; a typo names the nearest key", () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const make = () =>
    actor({
      state: {},
      inspector: { tabs: [] },
      options: { connectionLivenessTimeout: 1, preloadMaxWorkflowBytes: 1, sleepTimeuot: 5 } as never,
      onSleeep: () => {},
    } as never);
  make();
  make();
  setup({ use: {}, endpoint: "http://127.0.0.1:6420", httpPot: 1 } as never);
  const messages = warn.mock.calls.map((call) => String(call[0]));
  expect(messages).toHaveLength(7);
  expect(messages).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/actor\(\) config key "inspector" is accepted and ignored: custom inspector tabs are not supported/),
      expect.stringMatching(/unknown actor\(\) config key "onSleeep" is ignored\. Did you mean "onSleep"\?/),
      expect.stringMatching(/actor\(\) option "connectionLivenessTimeout" is accepted and ignored: the server checks every WebSocket/),
      expect.stringMatching(/actor\(\) option "preloadMaxWorkflowBytes" is accepted and ignored: deprecated in RivetKit/),
      expect.stringMatching(/unknown actor\(\) option "sleepTimeuot" is ignored\. Did you mean "sleepTimeout"\?/),
      expect.stringMatching(/setup\(\) key "endpoint" is accepted and ignored: Troupe has no engine/),
      expect.stringMatching(/unknown setup\(\) key "httpPot" is ignored\. Did you mean "httpPort"\?/),
    ]),
  );
});

describe.each(TARGETS)("config keys (%s)", (target) => {
  test("RivetKit's actor() and setup() keys start a registry; schemas validate args and params", async () => {
    await using app = await open(
      target,
      { everyKey: everyKey() },
      { endpoint: "http://127.0.0.1:6420", namespace: "default", noWelcome: true },
    );
    const handle = app.client.everyKey.getOrCreate(["a"], { params: { name: "ada" } });
    expect(await handle.add(2)).toBe(2);
    expect(await handle.math.double(4)).toBe(8);
    expect(await handle.whoami()).toBe("ada");
    await expect(handle.add(-1)).rejects.toMatchObject({ group: "actor", code: "validation_error" });
    await expect(handle.math.double(0)).rejects.toMatchObject({ group: "actor", code: "validation_error" });
    expect(await handle.add(1)).toBe(3); // a refused call changed nothing

    const anonymous = app.client.everyKey.getOrCreate(["a"], { params: { nope: true } as never });
    await expect(anonymous.add(1)).rejects.toMatchObject({ group: "actor", code: "validation_error" });
    const conn = app.client.everyKey.getOrCreate(["a"], { params: { name: "bob" } }).connect();
    expect(await conn.whoami()).toBe("bob");
    await conn.dispose();
  });
});

test("a value of the wrong type is still refused with config.invalid", () => {
  expect(() => actor({ options: { canHibernateWebSocket: "yes" as never } })).toThrow(
    /canHibernateWebSocket must be a boolean or a function/,
  );
  expect(() => actor({ connParamsSchema: {} as never })).toThrow(/connParamsSchema` must be a Standard Schema/);
  expect(() => actor({ actionInputSchemas: { "m.x": positive, m: { x: positive } } as never })).toThrow(/"m\.x" is defined twice/);
});
