// Bundles troupe/client for the browser with esbuild, as a web app's bundler would.

import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";

export const CLIENT_ENTRY = fileURLToPath(new URL("../../src/client/index.ts", import.meta.url));

export async function bundleClient(format: "esm" | "iife"): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    entryPoints: [CLIENT_ENTRY],
    bundle: true,
    platform: "browser",
    format,
    globalName: format === "iife" ? "Troupe" : undefined,
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile };
}
