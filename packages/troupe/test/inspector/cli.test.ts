// The inspector from the command line: `troupe dev` makes up a token and prints it with the
// dashboard URL; `troupe start` has it off unless a token is set, and never prints the token.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test } from "vitest";
import { CliProcess } from "../cli/cli-process.ts";

const LEDGER = fileURLToPath(new URL("../cli/ledger-registry.ts", import.meta.url));
const ENV_TOKEN = "token-from-the-environment-0123";

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "troupe-cli-inspector-"));
  dirs.push(dir);
  return dir;
}

const registryStatus = async (url: string, token?: string) =>
  (await fetch(`${url}/inspector/v1/registry`, { headers: token ? { authorization: `Bearer ${token}` } : {} })).status;

test("troupe dev makes up a token and prints the dashboard URL with it", async () => {
  await using dev = new CliProcess(["dev", LEDGER, "--port", "0"], tempDir(), { TROUPE_INSPECTOR_TOKEN: "" });
  const url = await dev.url();
  const [, printed, token] = await dev.waitFor(/^Inspector: (http:\/\/\S+\/inspector)#token=(\S+)$/);
  expect(printed).toBe(`${url}/inspector`);
  expect(decodeURIComponent(token!).length).toBeGreaterThanOrEqual(32);
  expect(await registryStatus(url, decodeURIComponent(token!))).toBe(200);
  expect(await registryStatus(url)).toBe(401);
  // The dashboard, from the files built into the package.
  const page = await fetch(printed!);
  expect(page.url).toBe(`${printed}/`);
  expect(await page.text()).toContain('<div id="app">');
});

test("troupe start: off without a token; with TROUPE_INSPECTOR_TOKEN, on and the token not printed", async () => {
  {
    await using off = new CliProcess(["start", LEDGER, "--port", "0"], tempDir(), { TROUPE_INSPECTOR_TOKEN: "" });
    const url = await off.url();
    expect(await registryStatus(url, ENV_TOKEN)).toBe(404);
    expect((await fetch(`${url}/inspector/`)).status).toBe(404);
    expect(off.output.join("\n")).not.toContain("Inspector:");
  }
  await using on = new CliProcess(["start", LEDGER, "--port", "0"], tempDir(), { TROUPE_INSPECTOR_TOKEN: ENV_TOKEN });
  const url = await on.url();
  await on.waitFor(/^Inspector: http:\/\/\S+\/inspector$/);
  expect(on.output.join("\n")).not.toContain(ENV_TOKEN);
  expect(await registryStatus(url, ENV_TOKEN)).toBe(200);
  expect((await fetch(`${url}/inspector/`)).status).toBe(200);
});
