// The server side of bench/compare: the checkout at argv[2] (built with `npm run build`) serves a
// counter actor over SQLite in a temporary folder. A "cpu" line on stdin answers with the CPU time
// used so far (µs); stdin closing ends it. Plain JavaScript with the setup() keys every version
// has, so that an older checkout runs it as it is.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const { actor, setup } = await import(join(process.argv[2], "packages/troupe/dist/index.js"));
const counter = actor({
  state: { count: 0 },
  actions: { echo: (_c, x) => x, increment: (c, n) => (c.state.count += n) },
});
const dir = mkdtempSync(join(tmpdir(), "troupe-compare-"));
const registry = setup({ use: { counter }, storage: { driver: "sqlite", path: join(dir, "troupe.db") } });
const server = await registry.serve({ port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
const lines = createInterface({ input: process.stdin });
lines.on("line", () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuUs: user + system })}\n`);
});
lines.on("close", () => {
  void server.close().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
