import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { setup } from "troupe";
import { createClient } from "troupe/client";
import { describe, expect, test } from "vitest";
import { tempDir } from "../../../packages/troupe/test/support/temp-dir.ts";
import { registry } from "../src/registry.ts";
import { createApp } from "../src/server.ts";

describe.each(["json", "cbor"] as const)("a Hono app mounting registry.handler (%s)", (encoding) => {
  test("the app's own routes and troupe/client reach the same actors", async () => {
    const reg = setup({ use: registry.definitions, storage: { driver: "sqlite", path: join(tempDir("hono-"), "troupe.db") } });
    const server = serve({ fetch: createApp(reg).fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = createClient<typeof registry>({ endpoint: url, encoding });
    try {
      const created = await fetch(`${url}/api/ada/todos`, { method: "POST", body: JSON.stringify({ text: "write tests" }) });
      expect(created.status).toBe(201);
      const todos = client.todoList.getOrCreate("ada");
      expect(await todos.list()).toEqual([{ id: 1, text: "write tests", done: false }]);
      expect(await todos.toggle(1)).toEqual({ id: 1, text: "write tests", done: true });
      expect(await (await fetch(`${url}/api/ada/todos`)).json()).toEqual([{ id: 1, text: "write tests", done: true }]);
    } finally {
      await client.dispose();
      await new Promise((resolve) => server.close(resolve));
      await reg.shutdown();
    }
  });
});
