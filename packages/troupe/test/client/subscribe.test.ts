import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { actor, event, setup } from "troupe";
import { createClient } from "troupe/client";
import { expect, test } from "vitest";
import { until } from "../support/until.ts";

const board = actor({
  state: {},
  onBeforeConnect: (_c, _params: { role: string }) => {},
  events: { staff: event<string>({ canSubscribe: (c) => (c.conn.params as { role: string }).role === "staff" }) },
  actions: { post: (c, text: string) => c.broadcast("staff", text) },
});

test("over WebSocket, a refused subscription gets auth.forbidden and no events; an allowed one gets them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "troupe-sub-"));
  const registry = setup({ use: { board }, storage: { driver: "sqlite", path: join(dir, "troupe.db") }, logging: { level: "silent" } });
  const server = await registry.serve({ port: 0 });
  const client = createClient<typeof registry>(server.url);
  try {
    const handle = client.board.getOrCreate("b");
    const guest = handle.connect({ role: "guest" });
    const staff = handle.connect({ role: "staff" });
    const got = { guest: [] as unknown[], staff: [] as unknown[], errors: [] as unknown[] };
    guest.onError((e) => got.errors.push(e));
    guest.on("staff", (text) => got.guest.push(text));
    staff.on("staff", (text) => got.staff.push(text));
    await until("the refusal to reach onError", () => got.errors.length === 1);
    await staff.ready;
    await staff.post("shift starts");
    await until("the staff event", () => got.staff.length === 1);
    await guest.post("from a guest");
    await until("the second staff event", () => got.staff.length === 2);
    expect(got.errors[0]).toMatchObject({ group: "auth", code: "forbidden" });
    expect(got.guest).toEqual([]);
    expect(got.staff).toEqual(["shift starts", "from a guest"]);
  } finally {
    await client.dispose();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
