// troupe/client in real Chromium (Debian's, driven by playwright-core) against a real server,
// from a page on another origin, so CORS and browser WebSockets are exercised as in an app.

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { serveActors } from "../transport/fixtures.ts";
import { launchChromium } from "../support/chromium.ts";
import { bundleClient } from "./browser-bundle.ts";

/** A page server on its own port: the page's origin differs from the actor server's. */
async function servePage(script: string) {
  const server = createServer((req, res) => {
    if (req.url === "/client.js") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    } else {
      res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><script src="/client.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("troupe/client in Chromium", () => {
  let script = "";
  let browser: Browser | undefined;
  beforeAll(async () => {
    script = (await bundleClient("iife")).code;
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  test.each(["json", "cbor"] as const)("actions, events and errors from a browser page (%s)", async (encoding) => {
    await using served = await serveActors();
    await using page = await servePage(script);
    const tab = await browser!.newPage();
    try {
      await tab.goto(page.url);
      const result = await tab.evaluate(
        async ({ url, encoding }) => {
          type Conn = {
            on(e: string, f: (n: unknown) => void): void;
            increment(n: number): Promise<number>;
            connStatus: string;
            dispose(): Promise<void>;
          };
          type Handle = {
            increment(n: number): Promise<number>;
            fail(): Promise<void>;
            connect(): Conn;
            fetch(p: string): Promise<Response>;
          };
          const troupe = (
            globalThis as unknown as {
              Troupe: { createClient(u: string, o: object): Record<string, { getOrCreate(k: string[]): Handle }> };
            }
          ).Troupe;
          const client = troupe.createClient(url, { encoding });
          const handle = client.counter!.getOrCreate(["browser"]);
          const stateless = await handle.increment(1);
          const conn = handle.connect();
          const seen: unknown[] = [];
          conn.on("changed", (n) => seen.push(n));
          const viaConn = [await conn.increment(2), await conn.increment(3)];
          const status = conn.connStatus;
          const error = await handle.fail().then(
            () => null,
            (e: { group: string; code: string; message: string; name: string }) => ({
              group: e.group,
              code: e.code,
              message: e.message,
              name: e.name,
            }),
          );
          const raw = await (await client.raw!.getOrCreate(["b"]).fetch("/from/browser?q=1")).json();
          await conn.dispose();
          return { stateless, viaConn, seen, status, error, raw, after: conn.connStatus };
        },
        { url: served.url, encoding },
      );
      expect(result).toEqual({
        stateless: 1,
        viaConn: [3, 6],
        seen: [3, 6],
        status: "connected",
        error: { group: "user", code: "bad_thing", message: "nope", name: "ActorError" },
        raw: expect.objectContaining({ path: "/from/browser", search: "?q=1" }),
        after: "idle",
      });
    } finally {
      await tab.close();
    }
  });
});
