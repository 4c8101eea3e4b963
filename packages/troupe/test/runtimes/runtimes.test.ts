// Troupe under Bun and Deno, both installed from npm as dev dependencies of the workspace: the SQLite
// bindings each runtime picks pass the storage conformance suite there, the CLI serves an example
// with storage that outlives a restart and reloads an edited registry, and the example served by each runtime's own server
// (registry.handler) and by a Hono app (Hono's WebSocket helper) answers clients of every runtime.
// Runs the built package: `npm run build` first.

import { spawn, type SpawnOptions } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { spawnTs } from "../support/child-process.ts";
import { LineProcess } from "../support/line-process.ts";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const BIN = (name: string) => join(ROOT, "node_modules", ".bin", name);
const CLI = join(ROOT, "packages", "troupe", "bin", "troupe.js");
const COUNTER = join(ROOT, "examples", "counter");
const BUN_DENO = join(ROOT, "examples", "bun-deno");
/** Each child is ended after this long, so a hung runtime fails its test instead of the run. */
const CHILD_LIMIT_MS = 60_000;

interface Runtime {
  name: "bun" | "deno";
  /** The command line that runs `file` (a script or the CLI) with `args`. */
  command(file: string, args?: string[]): [string, string[]];
  /** The bindings its conformance run must cover. */
  bindings: string[];
}

const RUNTIMES: Runtime[] = [
  { name: "bun", command: (file, args = []) => [BIN("bun"), [file, ...args]], bindings: ["bun:sqlite", "node:sqlite"] },
  { name: "deno", command: (file, args = []) => [BIN("deno"), ["run", "-A", file, ...args]], bindings: ["node:sqlite"] },
];

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "troupe-runtime-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(runtime: Runtime, file: string, args: string[], options: SpawnOptions): LineProcess {
  const [command, argv] = runtime.command(file, args);
  const child = spawn(command, argv, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  const limit = setTimeout(() => child.kill("SIGKILL"), CHILD_LIMIT_MS);
  child.on("exit", () => clearTimeout(limit));
  return new LineProcess(child);
}

/** Runs a child to its end and returns what it printed; fails when it exits with an error. */
async function run(process: LineProcess): Promise<string[]> {
  const code = await process.exited;
  if (code !== 0) throw new Error(`exited with ${code}:\n${process.output.join("\n")}`);
  return process.output;
}

describe.each(RUNTIMES)("under $name", (runtime) => {
  test("the storage driver conformance suite passes through each SQLite binding it has", { timeout: 120_000 }, async () => {
    const report = join(tempDir(), "report.json");
    const file = "packages/troupe/test/storage/sqlite-bindings.test.ts";
    const vitest = join(ROOT, "node_modules", "vitest", "vitest.mjs");
    const child = start(runtime, vitest, ["run", file, "--reporter=json", `--outputFile=${report}`], { cwd: ROOT, env: process.env });
    await child.exited;
    const results = JSON.parse(readFileSync(report, "utf8")) as {
      testResults: Array<{ assertionResults: Array<{ ancestorTitles: string[]; status: string; title: string }> }>;
    };
    const tests = results.testResults.flatMap((r) => r.assertionResults);
    const failed = tests.filter((t) => t.status === "failed").map((t) => [...t.ancestorTitles, t.title].join(" > "));
    expect(failed).toEqual([]);
    for (const binding of runtime.bindings) {
      const passed = tests.filter((t) => t.status === "passed" && t.ancestorTitles[0] === `SQLite binding ${binding}`);
      expect(passed.length, `tests passed through ${binding}`).toBeGreaterThan(40);
    }
  });

  test("the CLI serves the counter example, its client talks to it, and the count outlives a restart", async () => {
    const env = { ...process.env, TROUPE_STORAGE_PATH: join(tempDir(), "troupe.db"), TROUPE_LOG_LEVEL: "warn" };
    const client = join(COUNTER, "src", "client.ts");
    for (const expected of [1, 2]) {
      await using server = start(runtime, CLI, ["start", "src/registry.ts", "--port", "0"], { cwd: COUNTER, env });
      const url = (await server.waitFor(/listening on (http:\/\/\S+)/))[1]!;
      const output = await run(start(runtime, client, [], { cwd: COUNTER, env: { ...env, TROUPE_URL: url } }));
      expect(output).toContain(`increment -> ${expected}`);
      expect(output).toContain(`changed: ${expected}`);
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
  });

  test("troupe dev serves a registry and reloads it after an edit", async () => {
    // Inside the example (its .troupe/ is ignored by git), so that the registry finds `troupe`.
    const ignored = join(COUNTER, ".troupe");
    if (!existsSync(ignored)) {
      mkdirSync(ignored);
      dirs.push(ignored);
    }
    const dir = mkdtempSync(join(ignored, "dev-"));
    dirs.push(dir);
    const file = join(dir, "registry.ts");
    copyFileSync(join(COUNTER, "src", "registry.ts"), file);
    const env = { ...process.env, TROUPE_STORAGE_PATH: join(dir, "troupe.db"), TROUPE_INSPECTOR_TOKEN: "" };
    await using dev = start(runtime, CLI, ["dev", file, "--port", "0"], { cwd: COUNTER, env });
    await dev.waitFor(/Watching for changes/);
    const before = dev.output.length;
    appendFileSync(file, "\n// edited\n");
    await dev.waitFor(/changed: reloading/, before);
    await dev.waitFor(/listening on http/, before);
  });

  test.each([
    ["its own server, through registry.handler", ""],
    ["a Hono app, through Hono's WebSocket helper", "hono-"],
  ])("%s, serves the registry with WebSockets to clients of every runtime", async (_what, prefix) => {
    const env = { ...process.env, TROUPE_STORAGE_PATH: join(tempDir(), "troupe.db"), PORT: "0" };
    await using server = start(runtime, join(BUN_DENO, "src", `${prefix}${runtime.name}.ts`), [], { cwd: BUN_DENO, env });
    const url = (await server.waitFor(/Troupe on (http:\/\/\S+)/))[1]!;
    const clientEnv = { ...env, TROUPE_URL: url };
    const client = join(BUN_DENO, "src", "client.ts");
    const clients = [
      ...RUNTIMES.map((r) => () => start(r, client, [], { cwd: BUN_DENO, env: clientEnv })),
      () => new LineProcess(spawnTs(client, [], { cwd: BUN_DENO, env: clientEnv, stdio: ["ignore", "pipe", "pipe"] })),
    ];
    // One after another, so that each sees the count its predecessors left.
    for (const [i, startClient] of clients.entries()) {
      expect(await run(startClient()), `client ${i}`).toEqual([`increment -> ${i + 1}`, `event -> ${i + 1}`]);
    }
    expect(url).toMatch(/\/api\/troupe$/);
  });
});
