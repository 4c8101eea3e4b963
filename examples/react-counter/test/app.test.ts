// The example app built with Vite and opened in two Chromium tabs against a real server: a click
// in one tab shows in both, the status follows the server going away and coming back.

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { setup } from "troupe";
import { createClient } from "troupe/client";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launchChromium } from "../../../packages/troupe/test/support/chromium.ts";
import { tempDir } from "../../../packages/troupe/test/support/temp-dir.ts";
import { until } from "../../../packages/troupe/test/support/until.ts";
import { buildPage } from "../../../packages/troupe/test/support/vite-page.ts";
import { counter } from "../src/registry.ts";

const APP = fileURLToPath(new URL("..", import.meta.url));

let browser: Browser | undefined;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

/** Waits until the element `testId` of `tab` shows `text`. */
async function shows(tab: Page, testId: string, text: string): Promise<void> {
  let last: string | null = null;
  await until(`${testId} to show "${text}"`, async () => (last = await tab.getByTestId(testId).textContent()) === text, {
    timeout: 10_000,
    detail: () => `it shows "${last}"`,
  });
}

test("two tabs in one room see each other's clicks, live, across a server restart", async () => {
  const registry = setup({
    use: { counter },
    storage: { driver: "sqlite", path: join(tempDir("troupe-react-example-"), "troupe.db") },
    logging: { level: "silent" },
  });
  let server = await registry.serve({ port: 0 });
  const { port } = server;
  try {
    await using page = await buildPage(APP, { VITE_TROUPE_ENDPOINT: server.url });
    const tabs = [await browser!.newPage(), await browser!.newPage()] as const;
    const [first, second] = tabs;
    try {
      for (const tab of tabs) await tab.goto(`${page.url}?room=kitchen`);
      for (const tab of tabs) await shows(tab, "status", "connected");
      for (const tab of tabs) await shows(tab, "count", "0");

      await first.getByRole("button", { name: "+1" }).click();
      for (const tab of tabs) await shows(tab, "count", "1");
      await second.getByRole("button", { name: "+1" }).click();
      await second.getByRole("button", { name: "+1" }).click();
      for (const tab of tabs) await shows(tab, "count", "3");

      // The server goes away: the tabs say so and reconnect once it is back, the count intact.
      await server.close();
      for (const tab of tabs)
        await until("a tab to see the server gone", async () => (await tab.getByTestId("status").textContent()) !== "connected");
      server = await registry.serve({ port });
      for (const tab of tabs) await shows(tab, "status", "connected");
      await first.getByRole("button", { name: "+1" }).click();
      for (const tab of tabs) await shows(tab, "count", "4");
    } finally {
      await Promise.all(tabs.map((tab) => tab.close()));
    }
    const client = createClient<typeof registry>(server.url);
    expect(await client.counter.getOrCreate(["kitchen"]).get()).toBe(4);
    await client.dispose();
  } finally {
    await server.close();
  }
});
