// `npm run build` (and `npm pack`, through prepack): src/ compiled to dist/ by tsc, with the
// declarations' relative imports pointing at .js files, the browser client bundled and the
// inspector's dashboard built.
// `tsx scripts/build.ts <outDir>` builds into another folder (the package test does).

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BROWSER_CLIENT_FILE, bundleBrowserClient } from "./browser-bundle.ts";
import { buildDashboard, DASHBOARD_DIR } from "./dashboard-build.ts";

const PACKAGE = fileURLToPath(new URL("../", import.meta.url));

/**
 * tsc rewrites `./x.ts` to `./x.js` in the JavaScript it emits (rewriteRelativeImportExtensions)
 * but not in declarations; a consumer's TypeScript (older ones, or other tools) may not map
 * `./x.ts` to `./x.d.ts`, so the declarations get the same rewrite, augmentations included.
 */
export function rewriteDeclarationImports(source: string): string {
  return source.replace(/(["'])(\.\.?\/[^"'\n]*?)\.ts\1/g, "$1$2.js$1");
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".d.ts"))
    .map((file) => join(dir, file));
}

export async function buildPackage(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const compiled = spawnSync(process.execPath, [tsc, "-p", join(PACKAGE, "tsconfig.build.json"), "--outDir", outDir], { stdio: "inherit" });
  if (compiled.status !== 0) throw new Error(`tsc failed (exit code ${compiled.status}).`);
  for (const file of declarationFiles(outDir)) writeFileSync(file, rewriteDeclarationImports(readFileSync(file, "utf8")));
  await bundleBrowserClient(join(outDir, relative("dist", BROWSER_CLIENT_FILE)));
  await buildDashboard(join(outDir, DASHBOARD_DIR));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildPackage(resolve(PACKAGE, process.argv[2] ?? "dist"));
}
