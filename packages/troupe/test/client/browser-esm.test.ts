// The shipped browser build of troupe/client (dist/browser/client.js, made by `npm run build`)
// imported by a page's <script type="module"> with no bundler, in Chromium, against a real server.

import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { launchChromium } from "../support/chromium.ts";
import { serveActors } from "../transport/fixtures.ts";

const PACKAGE = fileURLToPath(new URL("../../", import.meta.url));
const MANIFEST = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as { exports: Record<string, { default: string }> };
const BROWSER_FILE = MANIFEST.exports["./client/browser"]!.default;

const PAGE = `<!doctype html>
<script type="module">
  import { createClient, isActorError } from "/node_modules/troupe/${BROWSER_FILE.slice(2)}";
  window.run = async (url) => {
    const client = createClient(url);
    const handle = client.counter.getOrCreate(["esm"]);
    const conn = handle.connect();
    const seen = [];
    conn.on("changed", (n) => seen.push(n));
    await conn.ready;
    const results = [await handle.increment(1), await conn.increment(2), await handle.action({ name: "math.add", args: [2, 3] })];
    const error = await handle.fail().catch((e) => ({ actorError: isActorError(e), code: e.code }));
    await client.dispose();
    return { results, seen, error };
  };
  window.loaded = true;
</script>`;

/** Serves the page, and the package's files under /node_modules/troupe/ as a static server would. */
async function servePage() {
  const types: Record<string, string> = { ".js": "text/javascript", ".map": "application/json" };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/") return res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    const file = join(PACKAGE, path.replace(/^\/node_modules\/troupe\//, ""));
    if (!path.startsWith("/node_modules/troupe/dist/") || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test("a <script type=module> imports the package's browser build and uses it, with no bundler", async () => {
  expect(existsSync(join(PACKAGE, BROWSER_FILE)), `${BROWSER_FILE} (run npm run build)`).toBe(true);
  await using served = await serveActors();
  await using page = await servePage();
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const failures: string[] = [];
    tab.on("pageerror", (error) => failures.push(error.message));
    tab.on("requestfailed", (request) => failures.push(`${request.url()} ${request.failure()?.errorText}`));
    await tab.goto(page.url);
    await tab.waitForFunction(() => (window as unknown as { loaded?: boolean }).loaded === true, undefined, { timeout: 10_000 });
    const result = await tab.evaluate((url) => (window as unknown as { run(url: string): Promise<unknown> }).run(url), served.url);
    expect(result).toEqual({ results: [1, 3, 5], seen: [1, 3], error: { actorError: true, code: "bad_thing" } });
    expect(failures).toEqual([]);
  } finally {
    await browser.close();
  }
});
