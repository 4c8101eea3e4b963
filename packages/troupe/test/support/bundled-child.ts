// A child process's TypeScript file and the sources it imports, bundled into one JavaScript file
// (esbuild), for a test that starts the same child many times: each start loads one file instead
// of having tsx compile the sources again (about 1.5 s of a child's start on this machine).

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

/** Inside the repository: the packages a bundle imports (left as imports) resolve from its node_modules. */
const CACHE = fileURLToPath(new URL("../../../../node_modules/.cache/", import.meta.url));

export interface BundledChild extends Disposable {
  /** The bundle, to give runChild in place of the TypeScript file. */
  readonly file: string;
}

export function bundleChild(file: string): BundledChild {
  mkdirSync(CACHE, { recursive: true });
  const dir = mkdtempSync(join(CACHE, "troupe-test-child-"));
  const out = join(dir, "child.mjs");
  try {
    buildSync({
      entryPoints: [file],
      outfile: out,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      logLevel: "error",
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    file: out,
    [Symbol.dispose]() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
