// The route handlers as Next.js calls them: a web Request with the whole URL in, a Response out.
// `next` itself is not started (a build per test run would be slow); the handlers are the same
// functions it would call.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "troupe/client";
import { afterEach, beforeEach, expect, test } from "vitest";
import { GET, POST } from "../app/api/troupe/[...all]/route.ts";
import { registry } from "../src/registry.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "troupe-next-"));
  process.env.TROUPE_STORAGE_PATH = join(dir, "troupe.db");
});
afterEach(async () => {
  await registry.shutdown();
  delete process.env.TROUPE_STORAGE_PATH;
  rmSync(dir, { recursive: true, force: true });
});

/** The client's fetch, routed to the handlers as Next would route it: by method. */
const nextFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const handler = { GET, POST }[request.method as "GET" | "POST"];
  if (!handler) throw new Error(`no ${request.method} handler`);
  return handler(request);
};

test("GET /api/troupe/health answers from the registry", async () => {
  const response = await GET(new Request("http://localhost:3000/api/troupe/health"));
  expect(await response.json()).toMatchObject({ status: "ok", runtime: "troupe" });
});

test("the typed client works through the route handlers", async () => {
  const client = createClient<typeof registry>("http://localhost:3000/api/troupe", { fetch: nextFetch });
  const counter = client.counter.getOrCreate(["page"]);
  expect(await counter.increment(2)).toBe(2);
  expect(await counter.increment(3)).toBe(5);
  expect(await counter.get()).toBe(5);
  await client.dispose();
});

test("a WebSocket route answers upgrade_required: route handlers cannot upgrade", async () => {
  const response = await GET(new Request("http://localhost:3000/api/troupe/actors/counter/x/connect"));
  expect(response.status).toBe(426);
  expect(await response.json()).toMatchObject({ group: "request", code: "upgrade_required" });
});
