// troupe/react must run in a browser: no Node module in its import graph, nothing of the server.

import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { bundleClient } from "../client/browser-bundle.ts";

const REACT_ENTRY = fileURLToPath(new URL("../../src/react/index.ts", import.meta.url));

test("troupe/react bundles for the browser with only the client, the wire contract and the base layer", async () => {
  const { code, metafile } = await bundleClient("esm", { entry: REACT_ENTRY, external: ["react"] });
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
  expect(imports.filter((path) => path.startsWith("node:") || builtins.has(path))).toEqual([]);
  const ownFiles = Object.keys(metafile.inputs).filter((file) => file.includes("troupe/src/"));
  expect(ownFiles.filter((file) => !/troupe\/src\/(react|client|protocol|base)\//.test(file))).toEqual([]);
  expect(ownFiles.some((file) => file.includes("troupe/src/react/"))).toBe(true);
  // React is the app's: imported, never bundled.
  expect(imports).toContain("react");
  expect(Object.keys(metafile.inputs).some((file) => file.includes("node_modules/react/"))).toBe(false);
  expect(code).not.toMatch(/["']node:/);
});
