// The example app served for real: its own route, the registry's HTTP routes under /api/troupe,
// and a WebSocket connection through registry.attach that sees another client's messages.

import { createClient } from "troupe/client";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { registry } from "../src/registry.ts";
import { start } from "../src/server.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let app: Awaited<ReturnType<typeof start>>;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "troupe-express-"));
  process.env.TROUPE_STORAGE_PATH = join(dir, "troupe.db");
  app = await start(0);
});
afterEach(async () => {
  await app.close();
  delete process.env.TROUPE_STORAGE_PATH;
  rmSync(dir, { recursive: true, force: true });
});

test("the app keeps its own routes beside the mount", async () => {
  const response = await fetch(`${app.url}/hello`);
  expect(await response.text()).toBe("Hello from the app");
  const health = await fetch(`${app.url}/api/troupe/health`);
  expect(await health.json()).toMatchObject({ status: "ok", runtime: "troupe" });
});

test("a connected client sees the messages another client posts over HTTP", async () => {
  const listener = createClient<typeof registry>(`${app.url}/api/troupe`);
  const poster = createClient<typeof registry>(`${app.url}/api/troupe`, { encoding: "json" });
  try {
    const conn = listener.room.getOrCreate(["lobby"]).connect();
    const seen: string[] = [];
    conn.on("message", (message) => seen.push(`${message.from}: ${message.text}`));
    expect(await conn.post("ada", "first")).toBe(1);
    expect(await poster.room.getOrCreate(["lobby"]).post("bob", "second")).toBe(2);
    await expect.poll(() => seen).toEqual(["ada: first", "bob: second"]);
    expect(await poster.room.getOrCreate(["lobby"]).history()).toHaveLength(2);
  } finally {
    await listener.dispose();
    await poster.dispose();
  }
});

test("a path under the mount that is no route answers request.not_found", async () => {
  const response = await fetch(`${app.url}/api/troupe/nope`);
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ group: "request", code: "not_found" });
});
