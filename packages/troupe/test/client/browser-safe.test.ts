// troupe/client must run in a browser: no Node module anywhere in its import graph.

import { builtinModules } from "node:module";
import { expect, test } from "vitest";
import { bundleClient } from "./browser-bundle.ts";

test("troupe/client bundles for the browser without a single Node module", async () => {
  // A Node import fails the build outright on platform "browser"; the checks below name the culprit.
  const { code, metafile } = await bundleClient("esm");
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const nodeImports = Object.entries(metafile.inputs).flatMap(([file, input]) =>
    input.imports.filter((i) => i.path.startsWith("node:") || builtins.has(i.path)).map((i) => `${file} imports ${i.path}`),
  );
  expect(nodeImports).toEqual([]);
  const inputs = Object.keys(metafile.inputs);
  // Only the client, the wire contract and the base layer: nothing of the server reaches a browser.
  const ownFiles = inputs.filter((file) => file.includes("troupe/src/"));
  expect(ownFiles.length).toBeGreaterThan(0);
  expect(ownFiles.filter((file) => !/troupe\/src\/(client|protocol|base)\//.test(file))).toEqual([]);
  expect(inputs.some((file) => file.includes("node_modules/ws/"))).toBe(false);
  expect(code).not.toMatch(/["']node:/);
  // Nothing heavy in the browser: the client and cbor-x, minified.
  expect(code.length).toBeLessThan(120_000);
});
