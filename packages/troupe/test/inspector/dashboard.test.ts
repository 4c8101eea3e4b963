// The inspector's dashboard in real Chromium, served by the actors' own server at /inspector/:
// the token taken from the URL, the actor list (search, live status), each tab of an actor (state
// live, edited a value at a time and whole; connections; queue send and dead-letter replay;
// schedules; workflow history and blocked state; database rows and SQL; console; the live
// timeline paused and resumed). It screenshots each tab; with TROUPE_SCREENSHOTS=1 they are
// written to docs/images/ (docs/inspector.md shows them).

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DASHBOARD_DIR } from "../../src/inspector/dashboard.ts";
import { launchChromium } from "../support/chromium.ts";
import { until } from "../support/until.ts";
import { flowCode, type Inspected, serveInspected, TOKEN } from "./fixtures.ts";

const DOCS_IMAGES = fileURLToPath(new URL("../../../../docs/images/", import.meta.url));
const shots = process.env.TROUPE_SCREENSHOTS === "1" ? DOCS_IMAGES : mkdtempSync(join(tmpdir(), "troupe-dashboard-shots-"));

let served: Inspected;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(new URL("index.html", DASHBOARD_DIR))) throw new Error("The dashboard is not built: run `npm run build` first.");
  [served, browser] = await Promise.all([serveInspected(), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
});

afterAll(async () => {
  await browser?.close();
  await served?.[Symbol.asyncDispose]();
  if (shots !== DOCS_IMAGES) rmSync(shots, { recursive: true, force: true });
});

/** Waits until `locator` (its first match) shows text matching `expected`; a failure says what it showed. */
async function shows(locator: Locator, expected: string | RegExp): Promise<void> {
  let last: string | null = null;
  const matches = (text: string) => (typeof expected === "string" ? text.includes(expected) : expected.test(text));
  await until(
    `${locator} to show ${expected}`,
    async () => {
      last = (await locator.count()) > 0 ? await locator.first().textContent() : null;
      return last !== null && matches(last);
    },
    { timeout: 10_000, detail: () => `it shows ${JSON.stringify(last)}` },
  );
}

async function screenshot(name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  writeFileSync(join(shots, `inspector-${name}.png`), await page.screenshot());
}

async function openActor(name: string, key: string, tab: string): Promise<void> {
  await page.getByRole("combobox", { name: "actor name" }).selectOption(name);
  await page.getByRole("searchbox", { name: "search by key" }).fill(key);
  await page.locator(".actor-list li button", { hasText: key }).first().click();
  await shows(page.locator(".actor-head"), `${name} ["${key}"]`);
  await page.getByRole("tab", { name: tab }).click();
}

async function openTab(tab: string): Promise<void> {
  await page.getByRole("tab", { name: tab }).click();
}

test("the dashboard shows and changes what the API does, live", async () => {
  const { client } = served;
  const room = client.counter.getOrCreate(["room-1"]);
  await room.increment(2);
  await client.counter.getOrCreate(["lobby"]).increment(1);
  const lobbyId = await served.id("counter", ["lobby"]);
  await room.remind(3_600_000);
  await room.tick();
  const worker = client.worker.getOrCreate(["jobs"]);
  await worker.send("jobs", { n: 1 });
  await worker.drop(); // received as completable and never completed: a dead letter
  await worker.send("jobs", { n: 2 });
  const crm = client.crm.getOrCreate(["acme"]);
  await crm.seed();
  const flowId = await served.id("flow", ["order-7"]);
  await until(
    "the workflow to wait",
    async () => ((await served.api("GET", `/actors/${flowId}/workflow`)).body.entries as unknown[]).length === 2,
  );

  // The printed URL: the token in the fragment, taken and removed from the address bar.
  await page.goto(`${served.url}/inspector#token=${encodeURIComponent(TOKEN)}`);
  await shows(page.locator(".actor-list ul"), "room-1");
  expect(new URL(page.url()).pathname).toBe("/inspector/");
  expect(page.url()).not.toContain(TOKEN);

  // The list, searched by key prefix.
  await page.getByRole("searchbox", { name: "search by key" }).fill("room");
  await until("the search to leave one actor", async () => (await page.locator(".actor-list li button").count()) === 1);
  await shows(page.locator(".actor-list li button"), "counter");

  // Live status: an actor falling asleep shows as asleep.
  await page.getByRole("searchbox", { name: "search by key" }).fill("lobby");
  const lobby = page.locator(".actor-list li button", { hasText: "lobby" });
  await shows(lobby, "running");
  await served.sleep(lobbyId);
  await shows(lobby, "asleep");

  // Overview, with why it is awake.
  await openActor("counter", "room-1", "Overview");
  await shows(page.getByLabel("why is it awake"), "Nothing keeps it awake");
  await screenshot("overview");

  // State: live after an action, then edited in place.
  await openTab("State");
  await shows(page.locator('[data-path="/count"]').first(), "2");
  await room.increment(5);
  await shows(page.locator('.row.changed[data-path="/count"]'), "7");
  await shows(page.getByRole("table", { name: "last changes" }), "/count");
  await screenshot("state");
  await page.locator('button.leaf[data-path="/count"]').click();
  await page.getByRole("textbox", { name: "edit /count" }).fill("42");
  await page.getByRole("textbox", { name: "edit /count" }).press("Enter");
  await shows(page.locator('[data-path="/count"]').first(), "42");
  expect(await room.count()).toBe(42);
  // ... or whole, as JSON (a PUT).
  await page.getByRole("button", { name: "Edit as JSON" }).click();
  const json = page.getByRole("textbox", { name: "state JSON" });
  await json.fill((await json.inputValue()).replace('"count": 42,', '"count": 42, "note": "hi",'));
  await page.getByRole("button", { name: "Replace state" }).click();
  await shows(page.locator('[data-path="/note"]').first(), '"hi"');

  // Connections: one opened from outside, then disconnected from the page.
  const conn = client.counter.getOrCreate(["room-1"], { params: { user: "ada" } }).connect();
  await conn.increment(0);
  await openTab("Connections");
  await shows(page.getByRole("table", { name: "connections" }), '"ada"');
  await screenshot("connections");
  await page.getByRole("button", { name: "Disconnect" }).click();
  await shows(page.locator(".tab-body"), "No open connection.");
  await conn.dispose();

  // Schedules and cron.
  await openTab("Schedules");
  await shows(page.getByRole("table", { name: "schedules" }), "increment");
  await shows(page.locator(".cron"), "tick");
  await screenshot("schedules");

  // The c.kv entries, by prefix (this actor has no database).
  await room.kvPut("user:1", "ada");
  await room.kvPut("team:1", "core");
  await openTab("Database");
  await page.getByRole("textbox", { name: "KV prefix" }).fill("user:");
  await shows(page.getByRole("table", { name: "kv entries" }), 'user:1"ada"3 B');
  expect(await page.getByRole("table", { name: "kv entries" }).textContent()).not.toContain("team:1");

  // Console: an action called with JSON arguments.
  await openTab("Console");
  await page.getByRole("combobox", { name: "action" }).selectOption("increment");
  await page.getByRole("textbox", { name: "arguments" }).fill("[3]");
  await page.getByRole("button", { name: "Call", exact: true }).click();
  await shows(page.getByRole("list", { name: "console results" }), "45");
  await page.getByRole("combobox", { name: "action" }).selectOption("fail");
  await page.getByRole("textbox", { name: "arguments" }).fill("[]");
  await page.getByRole("button", { name: "Call", exact: true }).click();
  await shows(page.getByRole("list", { name: "console results" }), "user.bad_thing");
  await screenshot("console");
  expect(await room.count()).toBe(45);

  // Timeline: live, filtered, paused and resumed.
  await openTab("Timeline");
  await room.increment(10);
  const timeline = page.getByRole("list", { name: "timeline" });
  await shows(timeline, "increment → 55");
  await page.getByRole("button", { name: "Pause" }).click();
  await room.increment(100);
  await shows(page.getByRole("button", { name: /Resume/ }), /Resume \(\d+ new\)/);
  expect(await timeline.textContent()).not.toContain("→ 155");
  await page.getByRole("button", { name: /Resume/ }).click();
  await shows(timeline, "increment → 155");
  await page.getByRole("textbox", { name: "filter events" }).fill("→ 55");
  await until("the filter to leave one event", async () => (await timeline.locator("li").count()) === 1);
  await page.getByRole("textbox", { name: "filter events" }).fill("");
  await screenshot("timeline");

  // Queue: the dead letter replayed.
  await openActor("worker", "jobs", "Queue");
  const dead = page.getByRole("table", { name: "dead letters" });
  await shows(dead, '{"n":1}');
  await page.getByRole("textbox", { name: "message body" }).fill('{"n":3}');
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await shows(page.locator(".tab-body"), "Sent message");
  await shows(page.getByRole("table", { name: "pending messages" }), '{"n":3}');
  await screenshot("queue");
  await dead.getByRole("button", { name: "Replay" }).click();
  await shows(page.locator(".tab-body"), "No dead letters.");
  await shows(page.getByRole("table", { name: "pending messages" }).locator("tbody tr").last(), '{"n":1}');
  expect(((await served.api("GET", `/actors/${await worker.resolve()}/queue`)).body.pending as unknown[]).length).toBe(3);

  // Database: a table's rows, a read-only query, and a write refused.
  await openActor("crm", "acme", "Database");
  await page
    .getByRole("list", { name: "tables" })
    .getByRole("button", { name: /people/ })
    .click();
  await shows(page.getByRole("table", { name: "rows of people" }), "Ada");
  await page.getByRole("textbox", { name: "SQL query" }).fill("SELECT id, upper(name) AS shout FROM people WHERE id > ? ORDER BY id");
  await page.getByRole("textbox", { name: "query arguments" }).fill("[1]");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await shows(page.getByRole("table", { name: "query result" }), "idshout2BOB3CY");
  await screenshot("database");
  await page.getByRole("textbox", { name: "SQL query" }).fill("DELETE FROM people");
  await page.getByRole("textbox", { name: "query arguments" }).fill("");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await shows(page.getByRole("alert"), "sqlite.read_only");
  expect(await crm.count()).toBe(3);

  // Workflow: its history with outputs.
  await openActor("flow", "order-7", "Workflow");
  const history = page.getByRole("table", { name: "workflow history" });
  await shows(history, "reserve");
  await shows(history, '{"receipt":"r-1"}');
  await shows(history, "waiting");
  await screenshot("workflow");

  // A deploy renames the first step: the next wake finds the code no longer matches its history.
  await served.sleep(flowId);
  flowCode.first = "reserve-stock";
  try {
    await client.flow.getOrCreate(["order-7"]).done();
    await shows(page.getByRole("alert"), "workflow.nondeterministic");
  } finally {
    flowCode.first = "reserve";
  }
  await shows(page.locator("tr.offending"), "reserve");
  await screenshot("workflow-blocked");
});
