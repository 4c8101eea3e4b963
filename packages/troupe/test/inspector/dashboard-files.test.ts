// The dashboard's files as the server serves them: /inspector redirects to /inspector/ (relative,
// so a mount prefix is kept), the page with its security headers, hashed assets cached for good,
// nothing outside the built folder, and nothing at all when the inspector is off.

import { readdirSync } from "node:fs";
import { get } from "node:http";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { DASHBOARD_DIR } from "../../src/inspector/dashboard.ts";
import { serveInspected } from "./fixtures.ts";

/** A GET of `path` sent as is (fetch would resolve its dot segments first): its status and body. */
function rawGet(base: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(`${base}${path}`, { path }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      response.on("end", () => resolve(`${response.statusCode} ${body}`));
    }).on("error", reject);
  });
}

test("serves the page and its assets without a token, and nothing else", async () => {
  await using served = await serveInspected();
  const bare = await fetch(`${served.url}/inspector`, { redirect: "manual" });
  expect(bare.status).toBe(308);
  expect(bare.headers.get("location")).toBe("inspector/");

  const page = await fetch(`${served.url}/inspector/`);
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
  expect(page.headers.get("cache-control")).toBe("no-cache");
  const html = await page.text();
  expect(html).toContain('<div id="app">');

  const assets = readdirSync(fileURLToPath(new URL("assets/", DASHBOARD_DIR)));
  const script = assets.find((name) => name.endsWith(".js"));
  expect(html).toContain(`./assets/${script}`);
  const asset = await fetch(`${served.url}/inspector/assets/${script}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
  expect(asset.headers.get("cache-control")).toContain("immutable");

  expect((await fetch(`${served.url}/inspector/assets/nope.js`)).status).toBe(404);
  expect((await fetch(`${served.url}/inspector/index.html`)).status).toBe(404);
  // Dot segments, plain or encoded, lead to the page (the server resolves them) or to nothing.
  for (const path of [
    "/inspector/assets/..",
    "/inspector/assets/%2e%2e",
    "/inspector/assets/..%2findex.html",
    "/inspector/assets/../../package.json",
  ]) {
    const answer = await rawGet(served.url, path);
    expect([`200 ${html}`, "404"], path).toContain(answer.slice(0, answer.startsWith("404") ? 3 : undefined));
  }
  // The API is still behind the token.
  expect((await fetch(`${served.url}/inspector/v1/registry`)).status).toBe(401);
});

test("with the inspector off, the dashboard is not served either", async () => {
  await using served = await serveInspected({ inspector: false });
  const page = await fetch(`${served.url}/inspector/`);
  expect(page.status).toBe(404);
  expect(await page.json()).toMatchObject({ group: "inspector", code: "disabled" });
});
