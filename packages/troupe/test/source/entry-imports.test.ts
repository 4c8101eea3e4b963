// `import "troupe"` loads no native module and no runtime-specific module: whatever the package
// entry reaches through static imports is web-standard, and Node's modules, the SQLite binding,
// pg, ws and the Node server adapter are loaded only when a driver or a server is chosen.

import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { expect, test } from "vitest";

const ENTRY = fileURLToPath(new URL("../../src/index.ts", import.meta.url));
const RUNTIME_SPECIFIC = ["better-sqlite3", "pg", "ws", "@hono/node-server", "tsx", "cbor-extract", "prom-client", "pino-pretty"];

/** Every import path reached from the entry through static imports only (dynamic imports excluded). */
async function staticImports(): Promise<Set<string>> {
  const { metafile } = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const reached = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.kind !== "import-statement" && imported.kind !== "require-call") continue;
      if (imported.external) reached.add(imported.path);
      else visit(imported.path);
    }
  };
  const entry = Object.keys(metafile.inputs).find((file) => file.endsWith("src/index.ts"));
  if (entry === undefined) throw new Error("the entry is not among esbuild's inputs");
  visit(entry);
  return reached;
}

test("the package entry statically imports no Node module and no runtime-specific package", async () => {
  const reached = await staticImports();
  expect(reached.size).toBeGreaterThan(0);
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const nodeModules = [...reached].filter((path) => builtins.has(path) || path.startsWith("node:"));
  const specific = [...reached].filter((path) => RUNTIME_SPECIFIC.some((name) => path === name || path.startsWith(`${name}/`)));
  // cbor-x's root loads its native extractor under Node; the entry uses its pure JavaScript build.
  const nativeCbor = [...reached].filter((path) => path === "cbor-x");
  expect({ nodeModules, specific, nativeCbor }).toEqual({ nodeModules: [], specific: [], nativeCbor: [] });
});
