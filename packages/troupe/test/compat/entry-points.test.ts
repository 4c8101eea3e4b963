// Item 2 of RivetKit compatibility: registry.start(), createClient() with no URL or `{ endpoint }`,
// the subpaths RivetKit apps import (errors, utils, unstable/migrations), the context helper
// types, and setupTest(c, registry).

import { createServer } from "node:net";
import { join } from "node:path";
import { type ActorContextOf, actor, setup } from "troupe";
import { createClient } from "troupe/client";
import { db } from "troupe/db";
import {
  INTERNAL_ERROR_CODE,
  INTERNAL_ERROR_DESCRIPTION,
  isActorAbortedError,
  isRivetErrorCode,
  RivetError,
  UserError,
} from "troupe/errors";
import { migrations } from "troupe/unstable/migrations";
import { setupTest } from "troupe/test";
import { interval, promiseWithResolvers, stringifyError } from "troupe/utils";
import { afterEach, describe, expect, expectTypeOf, test, vi } from "vitest";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";
import { open, TARGETS } from "./harness.ts";

const counter = actor({
  state: { count: 0 },
  actions: {
    increment: (c, by: number): number => bump(c, by),
    crash: () => {
      throw new Error("secret detail");
    },
  },
});

/** A helper outside the definition, typed with RivetKit's ActorContextOf. */
function bump(c: ActorContextOf<typeof counter>, by: number): number {
  c.state.count += by;
  return c.state.count;
}

const ledger = actor({
  db: db({
    onMigrate: migrations({
      migrations: [
        { version: 1, sql: "CREATE TABLE entries (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL)" },
        { version: 2, sql: "ALTER TABLE entries ADD COLUMN note TEXT NOT NULL DEFAULT ''; CREATE INDEX entries_note ON entries (note)" },
      ],
    }),
  }),
  actions: {
    add: async (c, amount: number, note: string) => {
      await c.db.execute("INSERT INTO entries (amount, note) VALUES (?, ?)", amount, note);
      return (await c.db.execute<{ total: number }>("SELECT SUM(amount) AS total FROM entries"))[0]?.total;
    },
    versions: async (c) =>
      (await c.db.execute<{ version: number }>("SELECT version FROM _migrations ORDER BY version")).map((r) => r.version),
    nap: (c) => c.sleep(),
  },
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test("registry.start() serves on PORT and prints where; createClient() finds it with no URL, or with { endpoint }", async () => {
  const port = await freePort();
  vi.stubEnv("PORT", String(port));
  vi.stubEnv("TROUPE_ENDPOINT", `http://127.0.0.1:${port}`);
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const registry = setup({ use: { counter }, storage: { driver: "sqlite", path: join(tempDir("troupe-start-"), "troupe.db") } });
  expect(registry.start()).toBeUndefined();
  try {
    await until("the welcome line", () => log.mock.calls.length > 0);
    expect(String(log.mock.calls[0]![0])).toBe(`Troupe is serving counter at http://127.0.0.1:${port}`);
    const byDefault = createClient<typeof registry>();
    const byConfig = createClient<typeof registry>({ endpoint: `http://127.0.0.1:${port}`, encoding: "json", namespace: "default" });
    expect(await byDefault.counter.getOrCreate("a").increment(1)).toBe(1);
    expect(await byConfig.counter.getOrCreate("a").increment(2)).toBe(3);
    await Promise.all([byDefault.dispose(), byConfig.dispose()]);
  } finally {
    await registry.shutdown();
  }
});

describe.each(TARGETS)("troupe/errors and migrations() (%s)", (target) => {
  test("an internal error reaches the client as INTERNAL_ERROR_CODE and INTERNAL_ERROR_DESCRIPTION", async () => {
    await using app = await open(target, { counter, ledger });
    const error = await app.client.counter
      .getOrCreate("e")
      .crash()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RivetError);
    expect(error).toMatchObject({ code: INTERNAL_ERROR_CODE, message: INTERNAL_ERROR_DESCRIPTION });
    expect(isRivetErrorCode(error, "actor", INTERNAL_ERROR_CODE)).toBe(true);
    expect(isActorAbortedError(error)).toBe(false);
  });

  test("migrations() applies each version once, in order, across wakes", async () => {
    await using app = await open(target, { counter, ledger });
    const handle = app.client.ledger.getOrCreate("books");
    expect(await handle.add(5, "a")).toBe(5);
    await handle.nap();
    expect(await handle.add(7, "b")).toBe(12);
    expect(await handle.versions()).toEqual([1, 2]);
  });
});

test("migrations() refuses duplicate or bad versions and odd table names", () => {
  expect(() =>
    migrations({
      migrations: [
        { version: 1, sql: "" },
        { version: 1, sql: "" },
      ],
    }),
  ).toThrow(/version 1 is given twice/);
  expect(() => migrations({ migrations: [{ version: 0, sql: "" }] })).toThrow(/must be a positive integer/);
  expect(() => migrations({ tableName: "x; DROP", migrations: [] })).toThrow(/plain SQL identifier/);
});

test("troupe/utils: interval keeps its cadence, promiseWithResolvers, stringifyError", async () => {
  vi.useFakeTimers({ now: 0 });
  const tick = interval(100);
  const ticks: number[] = [];
  const loop = (async () => {
    for (let i = 0; i < 3; i++) {
      await tick();
      ticks.push(Date.now());
      vi.advanceTimersByTime(30); // the loop body's own time does not shift the cadence
    }
  })();
  await vi.advanceTimersByTimeAsync(400);
  await loop;
  expect(ticks).toEqual([100, 200, 300]);
  const { promise, resolve } = promiseWithResolvers<number>();
  resolve(4);
  expect(await promise).toBe(4);
  expect(stringifyError(new UserError("no"))).toBe("UserError: no");
  expect(stringifyError({ a: 1 })).toBe('{"a":1}');
});

test("setupTest(c, registry) returns { client } as in RivetKit, and cleans up when the test ends", async (c) => {
  const registry = setup({ use: { counter } });
  const { client } = await setupTest(c, registry);
  expect(await client.counter.getOrCreate("t").increment(3)).toBe(3);
  expectTypeOf(client.counter.getOrCreate("t").increment).returns.resolves.toEqualTypeOf<number>();
});
