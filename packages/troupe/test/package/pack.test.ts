// The package as a user gets it: `npm pack`, then `npm install` of the tarball into a fresh project
// outside the workspace, whose files type-check under each moduleResolution and whose registry is
// served by the installed `troupe start` (what `npx troupe` runs) and called with troupe/client; `npx troupe init` makes a starter
// whose own test passes there. See consumer-project.ts for the quick and full modes.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { until } from "../support/until.ts";
import { type ConsumerProject, createConsumerProject, FULL, run } from "./consumer-project.ts";

const MANIFEST = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
};

let project: ConsumerProject;
const started = performance.now();

beforeAll(async () => {
  project = await createConsumerProject();
}, 900_000);

afterAll(() => {
  project?.remove();
  const total = Math.round((performance.now() - started) / 1000);
  console.log(`package test (${FULL ? "full" : "quick"}): ${JSON.stringify(project?.timings)}, ${total} s in all`);
});

describe("the packed tarball", () => {
  test("holds README, LICENSE, the bin, the starter, every export's files and the dashboard, and no sources or tests", () => {
    const files = new Set(project.files);
    for (const file of ["README.md", "LICENSE", "package.json", "bin/troupe.js", "starter/package.json", "starter/gitignore"]) {
      expect(files.has(file), file).toBe(true);
    }
    const targets = Object.values(MANIFEST.exports).flatMap((target) => (typeof target === "string" ? [target] : Object.values(target)));
    const missing = targets.map((target) => target.replace(/^\.\//, "")).filter((target) => !files.has(target));
    expect(missing, "export targets missing from the tarball").toEqual([]);
    // The inspector's dashboard, built to static files (served at /inspector/).
    expect(files.has("dist/inspector/dashboard/index.html"), "the dashboard's page").toBe(true);
    expect(
      [...files].filter((file) => /^dist\/inspector\/dashboard\/assets\/.+\.(js|css)$/.test(file)).length,
      "the dashboard's assets",
    ).toBe(2);
    expect(
      [...files].filter((file) => /^(src|test|scripts)\//.test(file) || file.startsWith("tsconfig")),
      "sources in the tarball",
    ).toEqual([]);
  });

  test("declarations import .js files, and source maps carry their sources", () => {
    const dist = join(project.dir, "node_modules/troupe/dist");
    const declarations = project.files.filter((file) => file.endsWith(".d.ts"));
    const withTs = declarations.filter((file) => /["']\.\.?\/[^"']*\.ts["']/.test(readFileSync(join(dist, "..", file), "utf8")));
    expect(withTs, "declarations importing .ts files").toEqual([]);
    const maps = project.files.filter((file) => file.endsWith(".js.map"));
    expect(maps.length).toBeGreaterThan(10);
    const withoutSources = maps.filter((file) => {
      const map = JSON.parse(readFileSync(join(dist, "..", file), "utf8")) as { sources: string[]; sourcesContent?: unknown[] };
      return map.sourcesContent?.length !== map.sources.length;
    });
    expect(withoutSources, "source maps without their sources").toEqual([]);
  });
});

test("a consumer's files type-check under moduleResolution bundler, node16 and nodenext, and in a browser program", async () => {
  // The declarations themselves (skipLibCheck off) are checked once in quick mode, under nodenext:
  // that check is what takes the time, and it finds the same errors under every resolution.
  const configs = [
    { name: "nodenext", libCheck: true },
    { name: "node16", libCheck: FULL },
    { name: "bundler", libCheck: FULL },
    { name: "browser", libCheck: false },
  ];
  const tsc = join(project.dir, "node_modules/typescript/bin/tsc");
  const results = await Promise.allSettled(
    configs.map(({ name, libCheck }) =>
      run(process.execPath, [tsc, "-p", `tsconfig.${name}.json`, ...(libCheck ? [] : ["--skipLibCheck"])], project.dir),
    ),
  );
  const failures = results.flatMap((result, i) => (result.status === "rejected" ? [`${configs[i]!.name}: ${String(result.reason)}`] : []));
  expect(failures).toEqual([]);
}, 180_000);

test("the registry runs in-process with troupe and troupe/test", async () => {
  const { stdout } = await run(join(project.dir, "node_modules/.bin/tsx"), ["src/in-process.ts"], project.dir);
  expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual({ count: 4, seen: [4] });
}, 60_000);

test("npx troupe --version; troupe start serves the registry; troupe/client calls it from another process", async () => {
  const version = await run("npx", ["troupe", "--version"], project.dir);
  expect(version.stdout.trim()).toBe(MANIFEST.version);

  // The command npx runs, started directly: npx does not pass a stop signal on to it.
  const server = spawn(join(project.dir, "node_modules/.bin/troupe"), ["start", "src/registry.ts", "--port", "0"], {
    cwd: project.dir,
    env: { ...process.env, TROUPE_LOG_LEVEL: "warn" },
  });
  const output: string[] = [];
  for (const stream of [server.stdout, server.stderr]) stream.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
  try {
    let url = "";
    await until(
      "the server to listen",
      () => {
        url = /listening on (http:\/\/\S+)/.exec(output.join(""))?.[1] ?? "";
        return url !== "" || server.exitCode !== null;
      },
      { timeout: 30_000, detail: () => output.join("") },
    );
    expect(url, output.join("")).not.toBe("");
    const { stdout } = await run(join(project.dir, "node_modules/.bin/tsx"), ["src/client.ts"], project.dir, { TROUPE_URL: url });
    expect(JSON.parse(stdout.trim())).toEqual({ counts: [2, 5], events: [2, 5], error: "bad_step", logged: 2, greeted: ["hello ada"] });
  } finally {
    server.kill("SIGTERM");
  }
  expect(await exited, output.join("")).toBe(0);
  expect(output.join("")).toContain("Stopped.");
}, 90_000);

test("npx troupe init makes a starter whose test and type check pass", async () => {
  await run("npx", ["troupe", "init", "starter"], project.dir);
  const starter = join(project.dir, "starter");
  const manifest = JSON.parse(readFileSync(join(starter, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  expect(manifest.dependencies.troupe).toBe(`^${MANIFEST.version}`);
  // The starter's own `npm test` and `npm run typecheck`, with the tools installed one folder up.
  const vitest = await run(join(project.dir, "node_modules/.bin/vitest"), ["run"], starter);
  expect(vitest.stdout).toMatch(/1 passed/);
  await run(process.execPath, [join(project.dir, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], starter);
}, 120_000);
