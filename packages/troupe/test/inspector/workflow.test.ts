// The workflow through the inspector: its history with statuses and outputs, and, when the code no
// longer matches the history, the blocked state with the offending entry.

import { expect, test } from "vitest";
import { flowCode, serveInspected, until } from "./fixtures.ts";

test("shows the history as committed, then the blocked state with the entry the new code does not match", async () => {
  flowCode.first = "reserve";
  await using served = await serveInspected();
  const id = await served.id("flow", ["f"]);
  const workflow = async () => (await served.api("GET", `/actors/${id}/workflow`)).body;
  await until("waiting", async () => ((await workflow()).entries as unknown[] | undefined)?.length === 2);

  const running = await workflow();
  expect(running.workflow).toMatchObject({ status: "running", completedAt: null, output: null, error: null });
  expect(running.entries).toEqual([
    expect.objectContaining({
      location: "reserve",
      path: ["reserve"],
      kind: "step",
      name: "reserve",
      status: "completed",
      attempts: 1,
      output: { receipt: "r-1" },
      error: null,
      completedAt: expect.any(Number),
    }),
    expect.objectContaining({ location: "wait", kind: "sleep", status: "waiting", deadline: expect.any(Number), output: null }),
  ]);
  expect(running.blocked).toBeNull();

  // A deploy renames the first step: the next wake finds the code no longer matches.
  await served.sleep(id);
  flowCode.first = "reserve-stock";
  try {
    await served.client.flow.getOrCreate(["f"]).done();
    await until("blocked", async () => ((await workflow()).workflow as { status: string }).status === "blocked");
  } finally {
    flowCode.first = "reserve";
  }
  const blocked = await workflow();
  expect(blocked.blocked).toEqual({
    error: expect.objectContaining({ group: "workflow", code: "nondeterministic", metadata: expect.objectContaining({ step: "reserve" }) }),
    entry: expect.objectContaining({ location: "reserve", status: "completed" }),
  });

  const counter = await served.id("counter", ["c"]);
  expect(await served.api("GET", `/actors/${counter}/workflow`)).toMatchObject({
    status: 404,
    body: { code: "not_enabled", metadata: { feature: "workflow" } },
  });
});
