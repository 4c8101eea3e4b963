// troupe/react in Chromium: a Vite-built page whose components use useActor against a real server
// (app/main.tsx, under StrictMode), checked from the page and from the actors' side.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Locator, Page as Tab } from "playwright-core";
import { setup } from "troupe";
import { type Client, createClient } from "troupe/client";
import { afterAll, beforeAll, expect, onTestFinished, test } from "vitest";
import { launchChromium } from "../support/chromium.ts";
import { until } from "../support/until.ts";
import { buildPage, type Page } from "../support/vite-page.ts";
import { room, type TestRegistry } from "./fixtures.ts";

const APP = fileURLToPath(new URL("./app/", import.meta.url));

let dir = "";
let server: Awaited<ReturnType<TestRegistry["serve"]>>;
let client: Client<TestRegistry>;
let page: Page;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "troupe-react-"));
  const registry = setup({ use: { room }, storage: { driver: "sqlite", path: join(dir, "troupe.db") }, logging: { level: "silent" } });
  server = await registry.serve({ port: 0 });
  client = createClient<TestRegistry>(server.url);
  [page, browser] = await Promise.all([buildPage(APP, { VITE_TROUPE_ENDPOINT: server.url }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await page?.[Symbol.asyncDispose]();
  await client?.dispose();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A tab on the test page, for `room`; closed when the test ends. */
async function open(roomKey: string): Promise<Tab> {
  const tab = await browser.newPage();
  onTestFinished(() => tab.close());
  await tab.goto(`${page.url}?room=${roomKey}`);
  return tab;
}

/** Waits until `locator` shows `text`; a failure says what it showed. */
async function shows(locator: Locator, text: string): Promise<void> {
  let last: string | null = null;
  await until(`${locator} to show "${text}"`, async () => (last = await locator.textContent()) === text, {
    timeout: 10_000,
    detail: () => `it shows "${last}"`,
  });
}

test("components with equal options share one connection (StrictMode too) and each gets the events", async () => {
  const tab = await open("shared");
  const [a, b] = [tab.getByTestId("a"), tab.getByTestId("b")];
  await shows(a.getByTestId("status"), "connected");
  await shows(b.getByTestId("status"), "connected");
  const connId = await a.getByTestId("conn").textContent();
  expect(connId).not.toBe("");
  expect(await b.getByTestId("conn").textContent()).toBe(connId);
  const actor = client.room.getOrCreate(["shared"]);
  // StrictMode mounts each component twice: the delayed cleanup keeps the first connection.
  expect(await actor.connects()).toBe(1);
  expect(await actor.conns()).toBe(1);

  await a.getByRole("button", { name: "post" }).click();
  await shows(a.getByTestId("posts"), "from a");
  await shows(b.getByTestId("posts"), "from a");

  // Another tab has its own connection; both hear each other.
  const other = await open("shared");
  await shows(other.getByTestId("a").getByTestId("status"), "connected");
  await other.getByTestId("b").getByRole("button", { name: "post" }).click();
  await shows(a.getByTestId("posts"), "from a,from b");
  await shows(b.getByTestId("posts"), "from a,from b");
  await shows(other.getByTestId("a").getByTestId("posts"), "from b");
  expect(await actor.connects()).toBe(2);

  // The last component using the connection unmounts: it is closed.
  await tab.getByRole("button", { name: "members" }).click();
  await until("the first tab's connection to close", async () => (await actor.conns()) === 1);
});

test("enabled: false closes the connection, true opens a new one", async () => {
  const tab = await open("toggle");
  const toggled = tab.getByTestId("toggled");
  const actor = client.room.getOrCreate(["toggle", "toggled"]);
  await shows(toggled.getByTestId("status"), "connected");
  expect(await toggled.getByTestId("handle").textContent()).toBe("yes");
  await toggled.getByRole("button", { name: "toggle" }).click();
  await shows(toggled.getByTestId("status"), "idle");
  expect(await toggled.getByTestId("handle").textContent()).toBe("no");
  await until("the actor to see no connection", async () => (await actor.conns()) === 0);
  await toggled.getByRole("button", { name: "toggle" }).click();
  await shows(toggled.getByTestId("status"), "connected");
  expect(await actor.conns()).toBe(1);
  expect(await actor.connects()).toBe(2);
});

test("connection errors reach the component: a missing actor with noCreate, refused params", async () => {
  const tab = await open("failing");
  const failing = tab.getByTestId("failing");
  await shows(failing.getByTestId("missing"), "idle actor.not_found");
  await shows(failing.getByTestId("refused"), "idle auth.forbidden");
  // noCreate created nothing.
  await expect(client.room.get(["failing", "nobody"]).resolve()).rejects.toMatchObject({ group: "actor", code: "not_found" });
});

test("createRivetKit makes the same hooks (here over JSON)", async () => {
  const tab = await open("ported");
  await shows(tab.getByTestId("ported").getByTestId("status"), "connected");
  const actor = client.room.getOrCreate(["ported", "ported"]);
  expect(await actor.conns()).toBe(1);
  expect(await actor.connects()).toBe(1);
});
