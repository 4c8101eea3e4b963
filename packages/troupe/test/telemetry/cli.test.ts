// Metrics from the command line: `troupe dev` serves /metrics without a token and says where;
// `troupe start` has it off unless TROUPE_METRICS_TOKEN (behind that token) or TROUPE_METRICS=1.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test } from "vitest";
import { CliProcess } from "../cli/cli-process.ts";
import { parseExposition } from "./exposition.ts";

const LEDGER = fileURLToPath(new URL("../cli/ledger-registry.ts", import.meta.url));
const TOKEN = "metrics-token-from-the-env-0123";
const UNSET = { TROUPE_METRICS: "", TROUPE_METRICS_TOKEN: "" };

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "troupe-cli-metrics-"));
  dirs.push(dir);
  return dir;
}

const scrape = (url: string, token?: string) => fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

test("troupe dev serves /metrics without a token and prints where", async () => {
  await using dev = new CliProcess(["dev", LEDGER, "--port", "0"], tempDir(), UNSET);
  const url = await dev.url();
  const [, printed] = await dev.waitFor(/^Metrics: (\S+)$/);
  expect(printed).toBe(`${url}/metrics`);
  const response = await scrape(url);
  expect(response.status).toBe(200);
  expect(parseExposition(await response.text()).has("troupe_actors", { actor: "ledger", state: "awake" })).toBe(true);
});

test("troupe start: off by default; TROUPE_METRICS_TOKEN puts it behind that token, which is never printed", async () => {
  {
    await using off = new CliProcess(["start", LEDGER, "--port", "0"], tempDir(), UNSET);
    const url = await off.url();
    expect((await scrape(url)).status).toBe(404);
    expect(off.output.join("\n")).not.toContain("Metrics:");
  }
  await using on = new CliProcess(["start", LEDGER, "--port", "0"], tempDir(), { ...UNSET, TROUPE_METRICS_TOKEN: TOKEN });
  const url = await on.url();
  await on.waitFor(/^Metrics: http:\/\/\S+\/metrics \(bearer token from TROUPE_METRICS_TOKEN\)$/);
  expect(on.output.join("\n")).not.toContain(TOKEN);
  expect((await scrape(url)).status).toBe(401);
  expect((await scrape(url, TOKEN)).status).toBe(200);
});
