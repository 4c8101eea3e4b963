// The in-process side of bench/compare: the checkout at argv[2] (built with `npm run build`) runs a
// counter actor over SQLite and calls it through its in-process client, argv[3] calls of action
// argv[4] with 512 in flight over 100 actors after a warm-up; prints one JSON line with the rate
// and the process's CPU time per call. Plain JavaScript, as server.mjs.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [root, count, call] = process.argv.slice(2);
const n = Number(count);
const { actor, createClient, setup } = await import(join(root, "packages/troupe/dist/index.js"));
const counter = actor({
  state: { count: 0 },
  actions: { echo: (_c, x) => x, increment: (c, by) => (c.state.count += by) },
});
const dir = mkdtempSync(join(tmpdir(), "troupe-compare-"));
const registry = setup({ use: { counter }, storage: { driver: "sqlite", path: join(dir, "troupe.db") } });
const client = createClient(registry);
const handles = Array.from({ length: 100 }, (_, a) => client.counter.getOrCreate([`c${a}`]));
await Promise.all(handles.map((handle) => handle.resolve()));

async function drive(total) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await (call === "echo" ? handles[i % 100].echo(i) : handles[i % 100].increment(1));
    }
  };
  await Promise.all(Array.from({ length: 512 }, worker));
  return performance.now() - started;
}

await drive(Math.min(n, 20_000));
const before = process.cpuUsage();
const ms = await drive(n);
const cpu = process.cpuUsage(before);
process.stdout.write(`${JSON.stringify({ perSecond: (n * 1000) / ms, cpuUs: (cpu.user + cpu.system) / n })}\n`);
rmSync(dir, { recursive: true, force: true });
process.exit(0);
