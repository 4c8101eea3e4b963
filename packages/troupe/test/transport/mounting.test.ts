// The registry under a base path: served by itself, and mounted in an existing Node server beside
// the app's own routes and WebSockets (registry.nodeHandler for HTTP, registry.attach for upgrades).

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setup } from "troupe";
import { createClient } from "troupe/client";
import { afterEach, describe, expect, test } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { until } from "../support/until.ts";
import { makeRegistry, serveActors, type TestRegistry } from "./fixtures.ts";

describe("basePath", () => {
  test("is a path starting with a slash; anything else is a config error", () => {
    for (const basePath of ["api/troupe", "/api?x=1", "/a b", "//x"]) {
      expect(() => setup({ use: {}, basePath }), basePath).toThrow(expect.objectContaining({ group: "config", code: "invalid" }));
    }
    expect(setup({ use: {}, basePath: "/api/troupe/" }).transport.basePath).toBe("/api/troupe");
    expect(setup({ use: {}, basePath: "/" }).transport.basePath).toBe("");
  });

  test("serve() serves every route under it and gives its URL with the base path", async () => {
    await using served = await serveActors({ basePath: "/api/troupe" });
    expect(served.url).toMatch(/\/api\/troupe$/);
    const origin = new URL(served.url).origin;
    expect((await fetch(`${origin}/health`)).status).toBe(404);
    expect((await fetch(`${origin}/api/troupe-other/health`)).status).toBe(404);
    expect(await (await fetch(`${served.url}/health`)).json()).toMatchObject({ status: "ok" });

    const client = served.client();
    const conn = client.counter.getOrCreate(["base"]).connect();
    const seen: number[] = [];
    conn.on("changed", (n) => seen.push(n as number));
    expect(await conn.increment(2)).toBe(2);
    await until("the event", () => seen.length === 1);

    // Raw requests and sockets see the path after /request or /websocket, not the base path.
    const raw = client.raw.getOrCreate(["base"]);
    expect(await (await raw.fetch("/hello?x=1")).json()).toMatchObject({ path: "/hello", search: "?x=1" });
    const socket = await raw.webSocket("/chat");
    const first = await new Promise<string>((resolve) =>
      socket.addEventListener("message", (e) => resolve(String(e.data)), { once: true }),
    );
    expect(JSON.parse(first)).toMatchObject({ path: "/chat" });
    socket.close();
  });
});

describe("mounted in an existing Node server", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** An app with its own route and its own WebSocket endpoint (/app-ws), and the registry under /api/troupe. */
  async function appServer(): Promise<{ origin: string; registry: TestRegistry; detach: () => Promise<void> }> {
    const dir = mkdtempSync(join(tmpdir(), "troupe-mount-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const registry = makeRegistry(join(dir, "troupe.db"), { basePath: "/api/troupe" });
    cleanups.push(() => registry.shutdown());
    const server: Server = createServer((req, res) => {
      if (req.url?.startsWith("/api/troupe/")) return registry.nodeHandler(req, res);
      res.end("the app's own page");
    });
    const appSockets = new WebSocketServer({ noServer: true });
    server.on("upgrade", (req, socket, head) => {
      if (req.url === "/app-ws") appSockets.handleUpgrade(req, socket, head, (ws) => ws.send("the app's own socket"));
    });
    const attached = await registry.attach(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const ws of appSockets.clients) ws.terminate();
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    cleanups.push(() => attached.close());
    const { port } = server.address() as { port: number };
    return { origin: `http://127.0.0.1:${port}`, registry, detach: () => attached.close() };
  }

  test("serves actions, connections and events under the base path, beside the app's routes and sockets", async () => {
    const { origin } = await appServer();
    expect(await (await fetch(`${origin}/somewhere`)).text()).toBe("the app's own page");
    const client = createClient<TestRegistry>(`${origin}/api/troupe`);
    cleanups.push(() => client.dispose());
    const conn = client.counter.getOrCreate(["mounted"]).connect();
    const seen: number[] = [];
    conn.on("changed", (n) => seen.push(n as number));
    expect(await conn.increment(1)).toBe(1);
    expect(await client.counter.getOrCreate(["mounted"]).increment(1)).toBe(2);
    await until("both events", () => seen.length === 2);
    expect(seen).toEqual([1, 2]);

    // The base URL may end with a slash.
    const slashed = createClient<TestRegistry>(`${origin}/api/troupe/`);
    cleanups.push(() => slashed.dispose());
    expect(await slashed.counter.getOrCreate(["mounted"]).getCount()).toBe(2);

    const own = new WebSocket(`${origin.replace("http", "ws")}/app-ws`);
    cleanups.push(() => own.terminate());
    expect(await new Promise((resolve) => own.once("message", (data) => resolve(String(data))))).toBe("the app's own socket");
  });

  test("refuses an upgrade to no route under the base path, and leaves those outside it to the app", async () => {
    const { origin } = await appServer();
    const status = (path: string) =>
      new Promise<number | "open">((resolve) => {
        const ws = new WebSocket(`${origin.replace("http", "ws")}${path}`, ["troupe.v1"]);
        ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.once("open", () => {
          ws.terminate();
          resolve("open");
        });
      });
    expect(await status("/api/troupe/nowhere")).toBe(404);
    expect(await status("/app-ws")).toBe("open");
  });

  test("detaching closes the registry's sockets, and the client sees its connection drop", async () => {
    const { origin, detach } = await appServer();
    const client = createClient<TestRegistry>(`${origin}/api/troupe`, { reconnect: { initialDelay: 20, maxDelay: 50 } });
    cleanups.push(() => client.dispose());
    const conn = client.counter.getOrCreate(["detach"]).connect();
    await conn.increment(1);
    const statuses: string[] = [];
    conn.onStatusChange((status: string) => statuses.push(status));
    await detach();
    await until("the connection to drop", () => statuses.length > 0 && statuses.at(-1) !== "connected");
  });
});
