// Bundles troupe/client (or another browser entry) for the browser with esbuild, as a web app's
// bundler would.

import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";

export const CLIENT_ENTRY = fileURLToPath(new URL("../../src/client/index.ts", import.meta.url));

/** `external`: packages the app brings itself (React for troupe/react), left out of the bundle. */
export async function bundleClient(
  format: "esm" | "iife",
  { entry = CLIENT_ENTRY, external = [] }: { entry?: string; external?: string[] } = {},
): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    entryPoints: [entry],
    external,
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
