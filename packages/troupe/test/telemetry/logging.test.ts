// Logs: at debug level every actor's lifecycle is logged (create, wake with its cause, commit,
// sleep with its reason, fence), each line a JSON object with the actor's name, key and id;
// `troupe start` prints JSON lines, `troupe dev` coloured human-readable ones.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { actor, setup } from "troupe";
import { afterEach, expect, test } from "vitest";
import { defaultLogger } from "../../src/runtime/logger.ts";
import { MemoryDriver } from "../../src/storage/memory/driver.ts";
import { CliProcess } from "../cli/cli-process.ts";
import { until } from "../support/until.ts";

const LEDGER = fileURLToPath(new URL("../cli/ledger-registry.ts", import.meta.url));

type Line = Record<string, unknown> & { msg: string; level: number };

const counter = actor({
  state: { count: 0 },
  actions: {
    increment: (c, by: number) => {
      c.state.count += by;
      return c.state.count;
    },
  },
});
const registry = setup({ use: { counter }, storage: { driver: "memory" } });

/** A debug logger whose JSON lines are kept, parsed. */
function capture(): { lines: Line[]; logger: pino.Logger } {
  const lines: Line[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
  return { lines, logger };
}

test("at debug level: create, commit, sleep with its reason, wake with its cause, each with the actor's name, key and id", async () => {
  const { lines, logger } = capture();
  const rt = registry.createRuntime(new MemoryDriver(), logger);
  try {
    const handle = rt.client.counter.getOrCreate(["room", "1"]);
    await handle.increment(1);
    const id = await handle.resolve();
    await rt.host.instances.get(id)?.stop("sleep");
    await handle.increment(1);
  } finally {
    await rt.shutdown();
  }
  const lifecycle = lines.filter((l) => typeof l.event === "string");
  // A wake commits its claim on the actor before it reads anything: that commit comes first.
  expect(lifecycle.map((l) => l.event)).toEqual(["create", "commit", "commit", "sleep", "commit", "wake", "commit", "sleep"]);
  for (const line of lifecycle) {
    expect(line).toMatchObject({ level: 20, actor: "counter", key: ["room", "1"], actorId: expect.any(String) });
  }
  const [create, , , slept, , woke, , shutdown] = lifecycle;
  expect(create).toMatchObject({ cause: "create", msg: expect.stringMatching(/^created in [\d.]+ ms$/) });
  expect(slept).toMatchObject({ reason: "requested", msg: "slept (reason: requested)" });
  expect(woke).toMatchObject({ cause: "action", msg: expect.stringMatching(/^woke \(cause: action\) in [\d.]+ ms$/) });
  expect(shutdown).toMatchObject({ reason: "shutdown" });
  expect(lifecycle.find((l) => l.event === "commit")).toMatchObject({
    writes: expect.any(Number),
    bytes: expect.any(Number),
    groupSize: 1,
    msg: expect.stringMatching(/^committed \d+ writes? \(\d+ bytes, group of 1\) in [\d.]+ ms$/),
  });
});

test("a fenced instance logs the fence and stops with reason fenced", async () => {
  const driver = new MemoryDriver();
  const first = capture();
  const older = registry.createRuntime(driver, first.logger);
  // A second runtime on the same storage wakes the actor: the first one's next commit is fenced.
  const newer = registry.createRuntime(driver, pino({ level: "silent" }));
  try {
    const handle = older.client.counter.getOrCreate(["f"]);
    await handle.increment(1);
    await newer.client.counter.getOrCreate(["f"]).increment(1);
    await expect(handle.increment(1)).rejects.toMatchObject({ code: "fenced" });
    const fence = first.lines.find((l) => l.event === "fence");
    expect(fence).toMatchObject({ actor: "counter", key: ["f"], msg: expect.stringContaining("fenced") });
    expect(first.lines.find((l) => l.event === "sleep")).toMatchObject({ reason: "fenced", actorId: fence?.actorId });
  } finally {
    await older.shutdown();
    await newer.shutdown();
  }
});

test("below debug level, nothing watches the actors for the lifecycle log", async () => {
  const rt = registry.createRuntime(new MemoryDriver(), pino({ level: "info" }));
  try {
    expect(rt.host.observer).toBeUndefined();
  } finally {
    await rt.shutdown();
  }
});

test("TROUPE_LOG_FORMAT is json or pretty; anything else is refused with config.invalid", () => {
  expect(defaultLogger("info", { TROUPE_LOG_FORMAT: "json" }).level).toBe("info");
  expect(defaultLogger(undefined, { TROUPE_LOG_LEVEL: "debug" }).level).toBe("debug");
  expect(defaultLogger(undefined, {}).level).toBe("warn");
  expect(() => defaultLogger(undefined, { TROUPE_LOG_FORMAT: "xml" })).toThrow(
    expect.objectContaining({
      group: "config",
      code: "invalid",
      message: expect.stringContaining('TROUPE_LOG_FORMAT must be "json" or "pretty"'),
    }),
  );
});

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "troupe-cli-logs-"));
  dirs.push(dir);
  return dir;
}

async function addEntry(url: string): Promise<void> {
  const resolved = await fetch(`${url}/actors`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: { kind: "getOrCreate", name: "ledger", key: ["main"] } }),
  });
  const { actorId } = (await resolved.json()) as { actorId: string };
  const added = await fetch(`${url}/actors/ledger/${actorId}/actions/add`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ args: [1] }),
  });
  expect(added.status).toBe(200);
}

test("troupe start prints JSON lines; at debug, the actor's lifecycle with its name, key and id", async () => {
  await using start = new CliProcess(["start", LEDGER, "--port", "0"], tempDir(), { TROUPE_LOG_LEVEL: "debug" });
  await addEntry(await start.url());
  const json = () => start.output.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Line);
  await until("a commit line", () => json().some((l) => l.event === "commit"), { detail: () => start.output.join("\n") });
  expect(json().find((l) => l.event === "create")).toMatchObject({
    level: 20,
    actor: "ledger",
    key: ["main"],
    actorId: expect.any(String),
  });
  expect(json().find((l) => l.event === "commit")).toMatchObject({
    actor: "ledger",
    key: ["main"],
    msg: expect.stringMatching(/^committed/),
  });
});

test("troupe dev prints coloured lines that lead with the actor's name, key and id", async () => {
  await using dev = new CliProcess(["dev", LEDGER, "--port", "0"], tempDir(), { TROUPE_LOG_LEVEL: "debug", NO_COLOR: "" });
  await addEntry(await dev.url());
  const created = await dev.waitFor(/created in/);
  const line = created.input!;
  expect(line).toContain("\u001b["); // coloured
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the colour codes are what is removed
  const plain = line.replace(/\u001b\[[\d;]*m/g, "");
  expect(plain).toMatch(/DEBUG.*: ledger main [\w-]+ \| created in [\d.]+ ms {"event":"create","cause":"create",/);
  expect(dev.output.some((l) => l.startsWith("{"))).toBe(false);
});
