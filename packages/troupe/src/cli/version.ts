// The installed package's version, for `troupe --version` and the starter's dependency range.

import { readFileSync } from "node:fs";

/** Read from package.json, two folders up both from src/cli and from dist/cli. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}
