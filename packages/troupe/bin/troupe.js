#!/usr/bin/env node
// The `troupe` command: runs the compiled CLI. dist/ ships in the published package; in the
// workspace `npm run build` makes it (npm install runs it).

import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("troupe: dist/ is missing. Run `npm run build` in the troupe package (npm install runs it).");
  process.exit(1);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
// Serving commands keep running until a signal; only errors and --help end here.
if (code !== 0) process.exitCode = code;
