// The inspector's dashboard (dashboard/, a Preact app) built by Vite into static files that the
// package ships beside the inspector's modules (dist/inspector/dashboard/): no CDN, no runtime
// dependency, everything in the tarball.

import { fileURLToPath } from "node:url";
import { build } from "vite";

const ROOT = fileURLToPath(new URL("../dashboard/", import.meta.url));

/** Where the package ships it, relative to the compiled package's folder (dist/ or another outDir). */
export const DASHBOARD_DIR = "inspector/dashboard";

export async function buildDashboard(outDir: string): Promise<void> {
  await build({
    root: ROOT,
    configFile: false,
    logLevel: "warn",
    // Relative URLs: the page works wherever the server is mounted (it is served at <mount>/inspector/).
    base: "./",
    oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
    build: { outDir, emptyOutDir: true, target: "es2022", sourcemap: false, reportCompressedSize: false },
  });
}
