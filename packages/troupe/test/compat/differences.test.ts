// Item 8 of RivetKit compatibility: where Troupe differs on purpose, `setup({ compatibility:
// "rivetkit" })` gives RivetKit's behaviour instead (docs/compatibility.md).

import { actor, event, queue } from "troupe";
import { describe, expect, test } from "vitest";
import { until } from "../support/until.ts";
import { open, TARGETS } from "./harness.ts";

const inbox = actor({
  state: {},
  queues: { jobs: queue<number>() },
  events: { secret: event<string>({ canSubscribe: () => false }) },
  actions: {
    pending: async (c) => (await c.queue.tryNextBatch({ count: 10 })).map((m) => m.name),
    ping: () => "pong",
  },
});

describe.each(TARGETS)("deliberate differences (%s)", (target) => {
  test("by default: a send to an undeclared queue is queue.not_found; a refused subscription reaches onError", async () => {
    await using app = await open(target, { inbox });
    const handle = app.client.inbox.getOrCreate("t");
    await expect(handle.send("jobz" as never, 1 as never)).rejects.toMatchObject({ group: "queue", code: "not_found" });
    const conn = handle.connect();
    const errors: unknown[] = [];
    conn.onError((error) => errors.push(error));
    conn.on("secret", () => {});
    await until("the refusal", () => errors.length === 1);
    expect(errors[0]).toMatchObject({ group: "auth", code: "forbidden" });
    expect(await conn.ping()).toBe("pong");
    await conn.dispose();
  });

  test('with compatibility: "rivetkit": the send is dropped; the refusal fails the next action', async () => {
    await using app = await open(target, { inbox }, { compatibility: "rivetkit" });
    const handle = app.client.inbox.getOrCreate("r");
    expect(await handle.send("jobz" as never, 1 as never)).toBeUndefined();
    expect(await handle.send("jobz" as never, 1 as never, { wait: true, timeout: 50 })).toEqual({ status: "completed" });
    expect(await handle.pending()).toEqual([]);
    const conn = handle.connect();
    conn.on("secret", () => {});
    await expect(conn.ping()).rejects.toMatchObject({ group: "auth", code: "forbidden" });
    expect(await conn.ping()).toBe("pong");
    await conn.dispose();
  });
});

test("setup() refuses an unknown compatibility", async () => {
  await expect(open("in-process", { inbox }, { compatibility: "peer" as never })).rejects.toThrow(
    /compatibility must be "troupe" or "rivetkit"/,
  );
});
