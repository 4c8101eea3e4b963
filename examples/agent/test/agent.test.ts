import { setup } from "troupe";
import { createClient } from "troupe/client";
import { setupTest } from "troupe/test";
import { afterEach, expect, test, vi } from "vitest";
import { agentActor } from "../src/agent.ts";
import { answer, FakeModel } from "../src/fake-model.ts";

afterEach(() => {
  vi.useRealTimers();
});

const QUESTIONS = ["how many r's in strawberry?", "hello"];

test("tokens stream to two connected clients while a third sends messages (in-process)", async () => {
  vi.useFakeTimers();
  const registry = setup({ use: { agent: agentActor(new FakeModel({ tokenDelayMs: 25 })) } });
  const t = setupTest(registry);
  const watchers = [t.client.agent.getOrCreate("agent-123").connect(), t.client.agent.getOrCreate("agent-123").connect()];
  const seen = watchers.map((conn) => {
    const tokens: string[] = [];
    conn.on("token", (delta) => tokens.push(delta as string));
    return tokens;
  });
  await Promise.all(watchers.map((w) => w.ready));

  const sender = t.client.agent.getOrCreate("agent-123");
  // Both sent at once: the second waits in the queue while the first answer streams.
  const replies = QUESTIONS.map((text) => sender.queue.send({ text }, { wait: true, timeout: 60_000 }));
  await vi.advanceTimersByTimeAsync(0);
  expect(seen[0]).toEqual([]);
  await vi.advanceTimersByTimeAsync(25);
  await vi.waitFor(() => expect(seen[0]).toEqual(["There "]));

  // Commits run on the real event loop between fake ticks: vi.waitFor moves the clock as it polls.
  const results: unknown[] = [];
  for (const [i, reply] of replies.entries()) void reply.then((r) => (results[i] = r));
  await vi.waitFor(() => expect(results.filter(Boolean)).toHaveLength(2), { timeout: 10_000, interval: 5 });
  const expected = QUESTIONS.map(answer);
  expect(expected[0]).toBe('There are 3 "r" in "strawberry".');
  expect(results).toEqual(expected.map((text) => ({ status: "completed", response: { text } })));
  for (const tokens of seen) expect(tokens.join("")).toBe(expected.join(""));
  expect(await sender.history()).toEqual([
    { role: "user", content: QUESTIONS[0] },
    { role: "assistant", content: expected[0] },
    { role: "user", content: QUESTIONS[1] },
    { role: "assistant", content: expected[1] },
  ]);
  await Promise.all(watchers.map((w) => w.dispose()));
});

test("an answer cut short by a crash is given again after the restart, and the question is kept once", async () => {
  vi.useFakeTimers();
  const registry = setup({ use: { agent: agentActor(new FakeModel({ tokenDelayMs: 25 })) } });
  const t = setupTest(registry);
  const sender = t.client.agent.getOrCreate("agent-123");
  await sender.queue.send({ text: QUESTIONS[0] as string });
  await vi.advanceTimersByTimeAsync(60);
  await t.crash();
  // The restarted actor wakes on the next call, and its run loop gets the message again.
  expect(await sender.history()).toEqual([{ role: "user", content: QUESTIONS[0] }]);
  await vi.advanceTimersByTimeAsync(1_000);
  await vi.waitFor(async () => expect((await sender.history()).length).toBe(2));
  expect(await sender.history()).toEqual([
    { role: "user", content: QUESTIONS[0] },
    { role: "assistant", content: answer(QUESTIONS[0] as string) },
  ]);
});

test("tokens stream to two connected clients while a third sends messages (over the network)", async () => {
  const registry = setup({ use: { agent: agentActor(new FakeModel({ tokenDelayMs: 0 })) }, storage: { driver: "memory" } });
  const server = await registry.serve({ port: 0 });
  const clients = [0, 1, 2].map(() => createClient<typeof registry>(server.url));
  try {
    const watchers = [clients[0], clients[1]].map((client) => client?.agent.getOrCreate("agent-123").connect());
    const seen = watchers.map((conn) => {
      const tokens: string[] = [];
      conn?.on("token", (delta) => tokens.push(delta as string));
      return tokens;
    });
    await Promise.all(watchers.map((w) => w?.ready));
    const sender = clients[2]?.agent.getOrCreate("agent-123");
    // One after the other: two requests in flight at once may reach the server in either order
    // (each on a connection of its own), and the tokens are checked in the order of the questions.
    const replies: unknown[] = [];
    for (const text of QUESTIONS) replies.push(await sender?.queue.send({ text }, { wait: true, timeout: 10_000 }));
    const expected = QUESTIONS.map(answer);
    expect(replies).toEqual(expected.map((text) => ({ status: "completed", response: { text } })));
    // Events may trail the reply by a moment: they travel on other sockets.
    await vi.waitFor(() => {
      for (const tokens of seen) expect(tokens.join("")).toBe(expected.join(""));
    });
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await server.close();
  }
});
