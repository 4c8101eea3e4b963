// `troupe init <dir>`: the starter project, named after its folder and depending on this troupe.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test, vi } from "vitest";
import { runInit } from "../../src/cli/init.ts";
import { tempDir } from "../support/temp-dir.ts";

const MANIFEST = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

afterEach(() => vi.restoreAllMocks());

test("creates the starter with its name, troupe's version, scripts and a .gitignore", () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const cwd = tempDir("troupe-init-");
  expect(runInit(["My App"], cwd)).toBe(0);
  const dir = join(cwd, "My App");
  for (const file of ["src/registry.ts", "src/client.ts", "test/counter.test.ts", "tsconfig.json", "README.md", ".gitignore"]) {
    expect(existsSync(join(dir, file)), file).toBe(true);
  }
  expect(existsSync(join(dir, "gitignore"))).toBe(false);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  expect(manifest.name).toBe("my-app");
  expect(manifest.dependencies).toEqual({ troupe: `^${MANIFEST.version}` });
  expect(Object.keys(manifest.scripts)).toEqual(["dev", "start", "client", "test", "typecheck"]);
  expect(log.mock.calls.join("\n")).toContain("npm run dev");
});

test("refuses a folder that is not empty, and a missing or extra argument", () => {
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  const cwd = tempDir("troupe-init-");
  mkdirSync(join(cwd, "taken"));
  writeFileSync(join(cwd, "taken", "keep.txt"), "mine");
  expect(runInit(["taken"], cwd)).toBe(1);
  expect(readFileSync(join(cwd, "taken", "keep.txt"), "utf8")).toBe("mine");
  expect(existsSync(join(cwd, "taken", "package.json"))).toBe(false);
  expect(runInit([], cwd)).toBe(1);
  expect(runInit(["a", "b"], cwd)).toBe(1);
  expect(error.mock.calls.map((call) => String(call[0]))).toEqual([
    expect.stringContaining("already exists and is not empty"),
    expect.stringContaining("Expected one folder, got none"),
    expect.stringContaining("Expected one folder, got a b"),
  ]);
});
