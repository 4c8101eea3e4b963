// Loading the registry file with and without tsx (an optional peer dependency of the CLI).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { loadRegistry } from "../../src/cli/load-registry.ts";
import { tempDir } from "../support/temp-dir.ts";

const withoutTsx = async () => undefined;
// Checked by shape, so a stand-in serves: the loader never calls it.
const REGISTRY = "export const registry = { definitions: { counter: {} }, serve: async () => undefined };\n";

test("without tsx, a TypeScript registry fails with how to install tsx", async () => {
  const file = join(tempDir("troupe-load-"), "registry.ts");
  writeFileSync(file, REGISTRY);
  await expect(loadRegistry(file, withoutTsx)).rejects.toThrow(
    `${file} is TypeScript, which troupe loads with tsx, and tsx is not installed. Install it: npm install -D tsx`,
  );
});

test("without tsx, Node imports a JavaScript registry, and each load reads the file again", async () => {
  const file = join(tempDir("troupe-load-"), "registry.mjs");
  writeFileSync(file, REGISTRY);
  const first = await loadRegistry(file, withoutTsx);
  expect(first.loader).toBe("runtime");
  expect(first.files).toEqual([file]);
  expect(Object.keys(first.registry.definitions)).toEqual(["counter"]);
  writeFileSync(file, REGISTRY.replace("counter", "edited"));
  expect(Object.keys((await loadRegistry(file, withoutTsx)).registry.definitions)).toEqual(["edited"]);
});

test("with tsx, a TypeScript registry loads, with the local files it imports", async () => {
  const dir = tempDir("troupe-load-");
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(dir, "actors.ts"), "export const definitions: Record<string, object> = { counter: {} };\n");
  writeFileSync(
    join(dir, "registry.ts"),
    'import { definitions } from "./actors.ts";\nexport const registry = { definitions, serve: async (): Promise<undefined> => undefined };\n',
  );
  const loaded = await loadRegistry(join(dir, "registry.ts"));
  expect(loaded.loader).toBe("tsx");
  expect(loaded.files.sort()).toEqual([join(dir, "actors.ts"), join(dir, "registry.ts")]);
  expect(Object.keys(loaded.registry.definitions)).toEqual(["counter"]);
});
