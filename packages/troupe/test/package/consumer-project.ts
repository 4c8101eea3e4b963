// A fresh project outside the workspace (under the system's temporary folder) with the packed
// troupe tarball installed by `npm install`, as a user's project would have it.
//
// Quick mode (npm test) packs the dist/ that `npm run build` made and installs without install
// scripts: the one native module, better-sqlite3, gets the binary the workspace built for the same
// version (pinned), since compiling SQLite takes minutes. Full mode (TROUPE_PACK_FULL=1, `npm run
// test:package`) packs through prepack (a fresh build) and installs with every script run.

import { execFile } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const FULL = process.env.TROUPE_PACK_FULL === "1";
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const PACKAGE = join(ROOT, "packages/troupe");
const FILES = fileURLToPath(new URL("./consumer/", import.meta.url));
/** What the consumer installs beside troupe: the TypeScript tools its files and the starter use. */
const DEV_TOOLS = ["tsx", "typescript", "vitest", "@types/node"];

const exec = promisify(execFile);

export interface Run {
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a failure carries its output. */
export async function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  try {
    return await exec(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as Partial<Run>;
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

function workspaceVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}

interface PackedFile {
  path: string;
}

export interface ConsumerProject {
  readonly dir: string;
  /** The files in the tarball, relative to the package's root. */
  readonly files: string[];
  /** Seconds each step took. */
  readonly timings: Record<string, number>;
  remove(): void;
}

async function timed<T>(timings: Record<string, number>, step: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  timings[step] = Math.round((performance.now() - started) / 100) / 10;
  return result;
}

export async function createConsumerProject(): Promise<ConsumerProject> {
  const timings: Record<string, number> = {};
  const root = mkdtempSync(join(tmpdir(), "troupe-pack-"));
  const dir = join(root, "app");
  const packArgs = ["pack", "--json", "--pack-destination", root, ...(FULL ? [] : ["--ignore-scripts"])];
  const packed = await timed(timings, "pack", () => run("npm", packArgs, PACKAGE));
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as Array<{ filename: string; files: PackedFile[] }>;
  const tarball = join(root, info!.filename);

  cpSync(FILES, dir, { recursive: true });
  const sqlite = workspaceVersion("better-sqlite3");
  const manifest = {
    name: "troupe-consumer",
    private: true,
    type: "module",
    dependencies: { troupe: `file:${tarball}` },
    devDependencies: Object.fromEntries(DEV_TOOLS.map((name) => [name, workspaceVersion(name)])),
    ...(FULL ? {} : { overrides: { "better-sqlite3": sqlite } }),
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const installArgs = ["install", "--no-audit", "--no-fund", "--prefer-offline", ...(FULL ? [] : ["--ignore-scripts"])];
  await timed(timings, "install", () => run("npm", installArgs, dir));
  if (!FULL) {
    const release = "node_modules/better-sqlite3/build/Release";
    mkdirSync(join(dir, release), { recursive: true });
    copyFileSync(join(ROOT, release, "better_sqlite3.node"), join(dir, release, "better_sqlite3.node"));
  }
  return {
    dir,
    files: info!.files.map((file) => file.path),
    timings,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
