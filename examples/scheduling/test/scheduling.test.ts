import { join } from "node:path";
import { setup } from "troupe";
import { createClient } from "troupe/client";
import { setupTest } from "troupe/test";
import { describe, expect, test } from "vitest";
import { tempDir } from "../../../packages/troupe/test/support/temp-dir.ts";
import { until } from "../../../packages/troupe/test/support/until.ts";
import { registry } from "../src/registry.ts";

test("a reminder fires after the actor slept; a cancelled one never does (in-process)", async (c) => {
  const { client } = await setupTest(c, registry);
  const handle = client.reminders.getOrCreate("me");
  await handle.remindIn("stretch", 50);
  const later = await handle.remindIn("never", 60_000);
  expect(await handle.cancel(later)).toBe(true);
  await handle.nap(); // the alarm wakes it
  await until("the reminder fired", async () => (await handle.list()).some((r) => r.firedAt !== undefined));
  expect((await handle.list()).map((r) => r.text)).toEqual(["stretch"]);
});

describe.each(["json", "cbor"] as const)("over the network (%s)", (encoding) => {
  test("a connected client receives the reminder event", async () => {
    const served = setup({ use: registry.definitions, storage: { driver: "sqlite", path: join(tempDir("sched-"), "troupe.db") } });
    await using server = await served.serve({ port: 0 });
    const client = createClient<typeof registry>({ endpoint: server.url, encoding });
    try {
      const conn = client.reminders.getOrCreate("you").connect();
      const seen: string[] = [];
      conn.on("reminder", (text) => seen.push(text as string));
      await conn.ready;
      await conn.remindIn("drink water", 30);
      await until("the reminder arrived", () => seen.length === 1);
      expect(seen).toEqual(["drink water"]);
    } finally {
      await client.dispose();
    }
  });
});
