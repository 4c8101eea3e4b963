// The console: an action called as the inspector, its output or its error as the answer.

import { expect, test } from "vitest";
import { serveInspected } from "./fixtures.ts";

test("calls an action with JSON arguments from inside the actor; its error is the answer", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["c"]);
  const id = await handle.resolve();
  await served.sleep(id);
  const call = (action: string, body?: unknown) => served.api("POST", `/actors/${id}/actions/${action}`, { body });

  expect((await call("increment", { args: [5] })).body).toEqual({ ok: true, output: 5, durationMs: expect.any(Number) });
  expect(await handle.count()).toBe(5);
  expect((await call("increment")).body).toMatchObject({ ok: true, output: 6 });
  expect((await call("state")).body.output).toMatchObject({ count: 6, tags: { $troupe: "set", values: ["a"] } });
  expect((await call("fail")).body).toEqual({
    ok: false,
    error: { group: "user", code: "bad_thing", message: "nope", metadata: { why: "test" } },
    durationMs: expect.any(Number),
  });
  expect((await call("crash")).body).toMatchObject({
    ok: false,
    error: { group: "actor", code: "internal_error", message: "An internal error occurred" },
  });
  expect((await call("nope")).body).toMatchObject({ ok: false, error: { code: "action_not_found" } });
  expect(await call("increment", { args: 1 })).toMatchObject({ status: 400, body: { metadata: { param: "args" } } });
  expect(await served.api("POST", "/actors/nobody/actions/increment", { body: {} })).toMatchObject({
    status: 404,
    body: { code: "not_found" },
  });
});
