// The workloads measure Troupe compiled by tsc, the JavaScript users run: code run from source
// under tsx is transformed by esbuild with keepNames, which gives every closure its own `name`
// property and costs memory and time a user never pays. Each run compiles into a folder of its
// own (inside node_modules, so the package's dependencies resolve), removed at the end.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Set by the runner for --cpu-prof; workload and server processes inherit it. */
const CPU_PROF_ENV = "TROUPE_BENCH_CPU_PROF";

export function profileWith(dir: string | undefined): void {
  if (dir !== undefined) process.env[CPU_PROF_ENV] = dir;
}

/** The node flags of every process the suite starts. */
export function nodeFlags(): string[] {
  const dir = process.env[CPU_PROF_ENV];
  return ["--import", "tsx", ...(dir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${dir}`])];
}

export interface BuiltTroupe extends Disposable {
  /** A tsconfig for tsx whose `paths` send `troupe` and `troupe/*` to the compiled files (children inherit it). */
  readonly tsconfig: string;
}

export function buildTroupe(): BuiltTroupe {
  const cache = join(ROOT, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, "troupe-bench-"));
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const args = [
    tsc,
    "-p",
    "packages/troupe/tsconfig.build.json",
    "--outDir",
    join(dir, "dist"),
    "--declaration",
    "false",
    "--sourceMap",
    "false",
    "--inlineSources",
    "false",
  ];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
  // tsc exits with 2 when it found type errors but emitted every file anyway.
  if (result.status === 2) process.stderr.write("tsc reported type errors in packages/troupe/src; measuring the JavaScript it emitted\n");
  else if (result.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Compiling packages/troupe failed:\n${result.stdout}${result.stderr}`);
  }
  const tsconfig = join(dir, "tsconfig.json");
  // troupe/client is its Node entry (the package's "node" export condition), as Node users get it.
  const paths = { troupe: ["./dist/index.js"], "troupe/client": ["./dist/client/node.js"], "troupe/*": ["./dist/*/index.js"] };
  writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { paths } }));
  return { tsconfig, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}
