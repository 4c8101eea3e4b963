// A graceful stop with a queue backlog: the run loop finishes the message in hand and takes no
// more, so the stop waits for the work in flight, not for the whole grace period.

import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { afterEach, expect, test, vi } from "vitest";
import { until } from "../support/until.ts";

afterEach(() => {
  vi.useRealTimers();
});

const worker = actor({
  state: { done: 0 },
  run: async (c) => {
    for await (const _message of c.queue.iter()) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      c.state.done++;
    }
  },
  actions: { done: (c) => c.state.done },
  options: { sleepGracePeriod: 60_000 },
});

test("a stop with 50 messages waiting ends after the one in hand, and the rest wait for the next wake", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  const t = setupTest(setup({ use: { worker } }));
  const h = t.client.worker.getOrCreate("w");
  const id = await h.resolve();
  for (let i = 0; i < 50; i++) await h.send("default", i);
  let stopped = false;
  const stop = t.sleep(id).then(() => (stopped = true));
  // The message in hand takes 100 ms; the backlog would take 5 s, the grace period 60 s.
  await vi.advanceTimersByTimeAsync(100);
  await until("the stop", () => stopped);
  await stop;
  const afterStop = await h.done();
  expect(afterStop).toBeLessThanOrEqual(2);
  // The next wake goes on with the backlog.
  await until("the backlog", async () => {
    await vi.advanceTimersByTimeAsync(100);
    return (await h.done()) === 50;
  });
});
