// The chat room's React page built with Vite and opened in two Chromium tabs against a real
// server: both join one room under their own names, one sends, the other sees the message.

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { setup } from "troupe";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launchChromium } from "../../../packages/troupe/test/support/chromium.ts";
import { tempDir } from "../../../packages/troupe/test/support/temp-dir.ts";
import { until } from "../../../packages/troupe/test/support/until.ts";
import { buildPage } from "../../../packages/troupe/test/support/vite-page.ts";
import { registry } from "../src/registry.ts";

const APP = fileURLToPath(new URL("..", import.meta.url));

let browser: Browser | undefined;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

/** Waits until the list `testId` of `tab` has exactly `items`. */
async function lists(tab: Page, testId: string, items: string[]): Promise<void> {
  let last: string[] = [];
  await until(
    `${testId} to list ${JSON.stringify(items)}`,
    async () => {
      last = await tab.getByTestId(testId).locator("li").allTextContents();
      return JSON.stringify(last) === JSON.stringify(items);
    },
    { timeout: 10_000, detail: () => `it lists ${JSON.stringify(last)}` },
  );
}

test("two tabs join one room; a message sent in one shows in both, an empty one is refused", async () => {
  const served = setup({
    use: registry.definitions,
    storage: { driver: "sqlite", path: join(tempDir("troupe-chat-ui-"), "troupe.db") },
    logging: { level: "silent" },
  });
  await using server = await served.serve({ port: 0 });
  await using page = await buildPage(APP, { VITE_TROUPE_ENDPOINT: server.url });
  const alice = await browser!.newPage();
  const bob = await browser!.newPage();
  try {
    await alice.goto(`${page.url}?room=kitchen&user=alice`);
    await until("alice connected", async () => (await alice.getByTestId("status").textContent()) === "connected", { timeout: 10_000 });
    await bob.goto(`${page.url}?room=kitchen&user=bob`);
    await lists(alice, "notices", ["bob joined"]);

    await until("bob connected", async () => (await bob.getByTestId("status").textContent()) === "connected", { timeout: 10_000 });
    await alice.getByLabel("Message").fill("hi bob");
    await alice.getByRole("button", { name: "Send" }).click();
    for (const tab of [alice, bob]) await lists(tab, "messages", ["alice: hi bob"]);
    expect(await alice.getByLabel("Message").inputValue()).toBe("");

    await bob.getByLabel("Message").fill("  ");
    await bob.getByRole("button", { name: "Send" }).click();
    await until("the refusal shows", async () => (await bob.getByRole("alert").textContent()) === "A message needs some text.");
    await lists(alice, "messages", ["alice: hi bob"]);

    await bob.close();
    await lists(alice, "notices", ["bob joined", "bob left"]);
  } finally {
    await alice.close();
    if (!bob.isClosed()) await bob.close();
  }
});
