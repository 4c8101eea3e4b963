// Connections through the inspector: listed (also while the actor sleeps) and disconnected.

import { expect, test } from "vitest";
import { serveInspected, until } from "./fixtures.ts";

test("lists open connections with params, state and subscriptions, and disconnects one", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["c"]);
  const conn = handle.connect({ user: "ada" });
  const closed: string[] = [];
  conn.onClose((reason) => closed.push(reason));
  conn.on("changed", () => {});
  await conn.increment(1);
  const id = await handle.resolve();
  await until("subscribed", () => [...(served.host.openConnections(id)?.values() ?? [])].some((c) => c.subscriptions.size > 0));

  const list = async () => (await served.api("GET", `/actors/${id}/connections`)).body.connections as Array<Record<string, unknown>>;
  const [listed] = await list();
  expect(listed).toEqual({ id: expect.any(String), params: { user: "ada" }, state: { user: "ada" }, subscriptions: ["changed"] });
  await served.sleep(id);
  expect(await list()).toEqual([listed]);
  expect(served.host.instances.has(id)).toBe(false);

  const stream = await served.stream(`?actor=${id}&kind=connection`);
  expect(await served.api("DELETE", `/actors/${id}/connections/nope`)).toMatchObject({
    status: 404,
    body: { group: "inspector", code: "not_found", metadata: { what: "connection", id: "nope" } },
  });
  expect(served.host.instances.has(id)).toBe(false);
  expect(await served.api("DELETE", `/actors/${id}/connections/${listed?.id}`)).toMatchObject({
    status: 200,
    body: { disconnected: true },
  });
  expect(await list()).toEqual([]);
  await until("closed", () => closed.length > 0);
  expect(closed).toEqual(["disconnected by the inspector"]);
  const event = await stream.waitFor("connection closed", (e) => e.event === "connection.closed");
  expect(event.data).toEqual({ connId: listed?.id, reason: "disconnected by the inspector" });
});
