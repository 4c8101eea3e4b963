// Schedules and cron jobs through the inspector: listed with their history, cancelled, deleted.

import { expect, test } from "vitest";
import { serveInspected, until } from "./fixtures.ts";

test("lists one-shots and cron jobs (awake or asleep), with history; cancels and deletes them", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["s"]);
  const scheduleId = await handle.remind(60_000);
  await handle.tick();
  const id = await handle.resolve();
  const list = async () => (await served.api("GET", `/actors/${id}/schedules`)).body;

  const awake = await list();
  expect(awake.schedules).toEqual([
    { id: scheduleId, action: "increment", args: [1], runAt: expect.any(Number), createdAt: expect.any(Number) },
  ]);
  expect(awake.cron).toEqual([
    {
      name: "tick",
      kind: "every",
      expression: null,
      timezone: null,
      interval: 60_000,
      action: "increment",
      args: [2],
      nextRunAt: expect.any(Number),
      lastRunAt: null,
      maxHistory: 100,
      createdAt: expect.any(Number),
      history: [],
    },
  ]);
  await served.sleep(id);
  expect(await list()).toEqual(awake);
  expect(served.host.instances.has(id)).toBe(false);

  // A run of the job, as the alarm would fire it, shows in its history.
  await served.host.withInstance(id, "alarm", (instance) => instance.runAlarms(Date.now() + 61_000));
  const history = async () => ((await list()).cron as Array<{ history: Array<{ result: string }> }>)[0]?.history ?? [];
  await until("the job's run finished", async () => (await history())[0]?.result === "ok");
  const fired = await list();
  expect(fired.schedules).toEqual([]);
  const [job] = fired.cron as Array<{ history: unknown[]; lastRunAt: number }>;
  expect(job?.history).toEqual([
    {
      action: "increment",
      scheduledAt: expect.any(Number),
      firedAt: expect.any(Number),
      finishedAt: expect.any(Number),
      result: "ok",
      error: null,
    },
  ]);
  expect(await handle.count()).toBe(3);

  const again = await handle.remind(60_000);
  await served.sleep(id);
  expect(await served.api("DELETE", `/actors/${id}/schedules/nope`)).toMatchObject({
    status: 404,
    body: { metadata: { what: "schedule" } },
  });
  expect(served.host.instances.has(id)).toBe(false);
  expect(await served.api("DELETE", `/actors/${id}/schedules/${again}`)).toMatchObject({ status: 200, body: { cancelled: true } });
  expect(await served.api("DELETE", `/actors/${id}/cron/nope`)).toMatchObject({ status: 404, body: { metadata: { what: "cron job" } } });
  expect(await served.api("DELETE", `/actors/${id}/cron/tick`)).toMatchObject({ status: 200, body: { deleted: true } });
  expect(await list()).toEqual({ schedules: [], cron: [] });
  expect((await served.api("GET", `/actors/${id}`)).body.nextAlarm).toBeNull();
});
