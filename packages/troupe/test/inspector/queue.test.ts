// The queue through the inspector: pending (and in-flight) messages, dead letters, sending as the
// actor, replaying and deleting dead letters.

import { expect, test } from "vitest";
import { serveInspected, until } from "./fixtures.ts";

test("lists pending, in-flight and dead messages, awake or asleep; sends, replays and deletes", async () => {
  await using served = await serveInspected();
  const handle = served.client.worker.getOrCreate(["q"]);
  const id = await handle.resolve();
  await handle.send("jobs", { n: 1 });
  await handle.drop(); // received as completable and not completed: a dead letter after one delivery
  await handle.send("jobs", { n: 2 });
  await handle.send("other", "x");
  const queue = async (query = "") => (await served.api("GET", `/actors/${id}/queue${query}`)).body;

  const listed = await queue();
  expect(listed).toMatchObject({ size: 2, maxSize: 1000, truncated: false });
  expect(listed.pending).toEqual([
    { id: 2, queue: "jobs", body: { n: 2 }, createdAt: expect.any(Number), attempts: 0, inFlight: false },
    { id: 3, queue: "other", body: "x", createdAt: expect.any(Number), attempts: 0, inFlight: false },
  ]);
  expect(listed.deadLetters).toEqual([
    { id: 1, queue: "jobs", body: { n: 1 }, createdAt: expect.any(Number), attempts: 1, failedAt: expect.any(Number) },
  ]);
  expect((await queue("?limit=1")).truncated).toBe(true);

  const held = handle.hold();
  await until("in flight", async () => ((await queue()).pending as Array<{ inFlight: boolean }>)[0]?.inFlight === true);
  await held;
  expect((await queue()).pending).toEqual([expect.objectContaining({ id: 3 })]);

  await served.sleep(id);
  const asleep = await queue();
  expect(asleep).toMatchObject({ size: 1, pending: [{ id: 3, inFlight: false }], deadLetters: [{ id: 1 }] });
  expect(served.host.instances.has(id)).toBe(false);

  const stream = await served.stream(`?actor=${id}&kind=queue`);
  const sent = await served.api("POST", `/actors/${id}/queue`, { body: { queue: "jobs", body: { n: 9 } } });
  expect(sent).toMatchObject({ status: 200, body: { id: 4, queue: "jobs", createdAt: expect.any(Number) } });
  expect((await stream.waitFor("sent", (e) => e.event === "queue.sent")).data).toMatchObject({ messageId: 4, queue: "jobs" });
  expect(await served.api("POST", `/actors/${id}/queue`, { body: { queue: "nope", body: 1 } })).toMatchObject({
    status: 404,
    body: { group: "queue", code: "not_found" },
  });
  expect(await served.api("POST", `/actors/${id}/queue`, { body: { body: 1 } })).toMatchObject({
    status: 400,
    body: { metadata: { param: "queue" } },
  });

  for (const body of [{}, { ids: [] }, { ids: ["1"] }, { all: "yes" }]) {
    const bad = await served.api("POST", `/actors/${id}/queue/dead-letters/replay`, { body });
    expect(bad, JSON.stringify(body)).toMatchObject({ status: 400, body: { code: "invalid_request", metadata: { param: "ids" } } });
  }
  expect((await served.api("POST", `/actors/${id}/queue/dead-letters/replay`, { body: { ids: [1, 77] } })).body).toEqual({ replayed: 1 });
  const replayed = await queue();
  expect(replayed.deadLetters).toEqual([]);
  expect((replayed.pending as Array<{ id: number; body: unknown; attempts: number }>).at(-1)).toMatchObject({
    id: 5,
    body: { n: 1 },
    attempts: 0,
  });

  await handle.drop(); // message 3 ("other") is first, but drop takes "jobs": message 4 dies
  expect((await queue()).deadLetters).toEqual([expect.objectContaining({ id: 4 })]);
  expect((await stream.waitFor("dead letter", (e) => e.event === "queue.dead_lettered")).data).toMatchObject({ messageId: 4, attempts: 1 });
  expect((await served.api("POST", `/actors/${id}/queue/dead-letters/delete`, { body: { all: true } })).body).toEqual({ deleted: 1 });
  expect((await queue()).deadLetters).toEqual([]);
});
