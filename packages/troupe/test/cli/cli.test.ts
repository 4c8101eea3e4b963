// `troupe start` and `troupe dev` as child processes: help, listening, reload, graceful shutdown.

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "troupe/client";
import { expect, test } from "vitest";
import { tempDir } from "../support/temp-dir.ts";
import { until } from "../support/until.ts";
import { CliProcess } from "./cli-process.ts";
import type { registry } from "./ledger-registry.ts";

const LEDGER = fileURLToPath(new URL("./ledger-registry.ts", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/troupe.js", import.meta.url));

test("--help on every command; unknown commands and bad options fail with usage", async () => {
  const dir = tempDir("troupe-cli-");
  for (const [args, code, text] of [
    [["--help"], 0, "Usage: troupe <command>"],
    [["dev", "--help"], 0, "Usage: troupe dev [file] [options]"],
    [["start", "-h"], 0, "Usage: troupe start [file] [options]"],
    [["deploy"], 1, 'Unknown command "deploy"'],
    [["start", "--port", "http"], 1, 'Invalid port "http"'],
    [["start"], 1, "No registry file given"],
  ] as const) {
    await using cli = new CliProcess([...args], dir);
    expect(await cli.exited, `exit code of troupe ${args.join(" ")}`).toBe(code);
    expect(cli.output.join("\n")).toContain(text);
  }
});

test("bin/troupe.js runs the built CLI", () => {
  // dist/ is built by `npm install` (the package's prepare script).
  expect(existsSync(new URL("../../dist/cli/main.js", import.meta.url)), "dist/cli/main.js (run npm run build)").toBe(true);
  const result = spawnSync(process.execPath, [BIN, "start", "--help"], { encoding: "utf8" });
  expect(result.status).toBe(0);
  expect(result.stdout).toContain("Usage: troupe start");
});

test("start serves on TROUPE_HOST/TROUPE_PORT; SIGTERM finishes in-flight work and loses nothing acknowledged", async () => {
  const dir = tempDir("troupe-cli-");
  await using first = new CliProcess(["start", LEDGER], dir, { TROUPE_HOST: "127.0.0.1", TROUPE_PORT: "0" });
  const url = await first.url();
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const client = createClient<typeof registry>(url, { reconnect: { initialDelay: 10, maxDelay: 50 } });
  const acked = new Map<string, number[]>();
  let stop = false;
  // Writers on 4 actors, half stateless and half over a connection, until the server goes away.
  const writers = Array.from({ length: 8 }, async (_, w) => {
    const key = `k${w % 4}`;
    const handle = client.ledger.getOrCreate([key]);
    const target = w % 2 === 0 ? handle : handle.connect();
    for (let n = w * 1_000_000; !stop; n++) {
      try {
        await target.add(n);
      } catch {
        return;
      }
      acked.set(key, [...(acked.get(key) ?? []), n]);
    }
  });
  const conn = client.ledger.getOrCreate(["k0"]).connect();
  const closeReasons: string[] = [];
  conn.onClose((reason) => closeReasons.push(reason));
  await conn.ready;
  const countAcked = () => [...acked.values()].reduce((sum, list) => sum + list.length, 0);
  await until("200 acknowledged writes", () => countAcked() >= 200);

  // An action in flight when the signal comes must finish and be saved.
  const started = new Promise((resolve) => conn.once("slowStarted", resolve));
  const slow = conn.slowAdd(-1, 300);
  await started;
  first.child.kill("SIGTERM");
  expect(await slow).toBeGreaterThan(0);
  acked.set("k0", [...(acked.get("k0") ?? []), -1]);
  expect(await first.exited).toBe(0);
  stop = true;
  await Promise.all(writers);
  expect(first.output).toContain("Stopped.");
  expect(closeReasons).toContain("server shutting down");
  await client.dispose();

  await using second = new CliProcess(["start", LEDGER, "--port", "0"], dir);
  const again = createClient<typeof registry>(await second.url());
  for (const [key, numbers] of acked) {
    const entries = await again.ledger.getOrCreate([key]).entries();
    const missing = numbers.filter((n) => !entries.includes(n));
    expect(missing, `acknowledged writes missing from ${key}`).toEqual([]);
  }
  await again.dispose();
  second.child.kill("SIGINT");
  expect(await second.exited).toBe(0);
});

test("dev reloads the registry when its file changes, on the same port, with state intact", async () => {
  const dir = tempDir("troupe-cli-");
  const file = join(dir, "registry.ts");
  const source = readFileSync(LEDGER, "utf8").replace(
    '"../../src/index.ts"',
    JSON.stringify(fileURLToPath(new URL("../../src/index.ts", import.meta.url))),
  );
  writeFileSync(file, source);
  copyFileSync(file, join(dir, "original.ts"));
  await using dev = new CliProcess(["dev", "registry.ts", "--port", "0"], dir);
  const url = await dev.url();
  await dev.waitFor(/Watching for changes/);
  const client = createClient<typeof registry>(url);
  const handle = client.ledger.getOrCreate(["dev"]);
  expect(await handle.version()).toBe("v1");
  await handle.add(7);

  const mark = dev.output.length;
  writeFileSync(file, source.replace('version: () => "v1"', 'version: () => "v2"'));
  await dev.waitFor(/registry\.ts changed: reloading/, mark);
  expect(await dev.url(mark + 1)).toBe(url);
  expect(await handle.version()).toBe("v2");
  expect(await handle.entries()).toEqual([7]);
  await client.dispose();
  dev.child.kill("SIGTERM");
  expect(await dev.exited).toBe(0);
});
