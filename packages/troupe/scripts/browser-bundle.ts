// troupe/client for browsers without a bundler: one ES module with its dependencies inside,
// shipped as dist/browser/client.js (with its source map). The bench reports its size.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ENTRY = fileURLToPath(new URL("../src/client/index.ts", import.meta.url));

/** Where the package ships it, relative to the package's folder. */
export const BROWSER_CLIENT_FILE = "dist/browser/client.js";

/**
 * Bundles the browser client, minified, into `outfile` (and `outfile`.map, which carries the
 * sources); with `write: false` nothing is written. Resolves to the module's code.
 */
export async function bundleBrowserClient(outfile: string, write = true): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: true,
    write: false,
    logLevel: "warning",
  });
  const files = result.outputFiles;
  const code = files.find((file) => file.path.endsWith(".js"));
  if (!code) throw new Error("esbuild made no JavaScript for the browser client.");
  if (write) {
    mkdirSync(dirname(outfile), { recursive: true });
    for (const file of files) writeFileSync(file.path, file.contents);
  }
  return code.text;
}
