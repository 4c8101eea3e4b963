// One fuzz run: a real server over SQLite in a temporary folder, generated HTTP requests then
// WebSocket sessions against it, and a summary of what came back. The test runs a few hundred
// cases; `npm run torture` runs many more (scripts/torture.ts).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { forgetHooks, fuzzRegistry, newTally, runHttpCase, runWsCase, settledHeap, targetIds } from "./harness.ts";
import { httpCase, wsCase } from "./inputs.ts";

export interface FuzzOptions {
  /** HTTP cases; a third as many WebSocket sessions run after them. */
  runs: number;
  seed?: number;
}

export interface FuzzSummary {
  seed: number;
  cases: number;
  httpRequests: number;
  wsFrames: number;
  seconds: number;
  /** Heap growth over the run, after garbage collection. */
  heapGrowthMB: number;
  /** Unhandled rejections and uncaught exceptions the process saw during the run. */
  crashes: string[];
  /** The first failing case of each property, with fast-check's seed and path to replay it. */
  failures: string[];
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  closes: Record<string, number>;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const dir = mkdtempSync(join(tmpdir(), "troupe-fuzz-"));
  const registry = fuzzRegistry(join(dir, "troupe.db"));
  const crashes: string[] = [];
  const onCrash = (error: unknown) => crashes.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
  const server = await registry.serve({ port: 0 });
  const started = performance.now();
  const tally = newTally();
  try {
    const ids = await targetIds(server.url);
    const heapBefore = settledHeap();
    const property = <T>(arbitrary: fc.Arbitrary<T>, run: (c: T) => Promise<string | undefined>) =>
      fc.asyncProperty(arbitrary, async (c) => {
        tally.cases++;
        forgetHooks();
        const failure = await run(c);
        if (failure !== undefined) throw new Error(failure);
      });
    for (const [name, prop, runs] of [
      ["HTTP", property(httpCase, (c) => runHttpCase(server.url, ids, c, tally)), options.runs],
      ["WebSocket", property(wsCase, (c) => runWsCase(server.url, ids, c, tally)), Math.ceil(options.runs / 3)],
    ] as const) {
      const result = await fc.check(prop as fc.IAsyncProperty<unknown>, { numRuns: runs, seed, endOnFailure: true });
      if (result.failed) {
        tally.failures.push(
          `${name}: ${String((result.errorInstance as Error | undefined)?.message ?? "failed")} (seed ${result.seed}, path "${result.counterexamplePath}", case ${fc.stringify(result.counterexample)})`,
        );
      }
    }
    const health = (await (await fetch(`${server.url}/health`)).json()) as { status?: string };
    if (health.status !== "ok") tally.failures.push(`the server's health after the run: ${JSON.stringify(health)}`);
    return {
      seed,
      cases: tally.cases,
      httpRequests: tally.requests,
      wsFrames: tally.frames,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      heapGrowthMB: Number(((settledHeap() - heapBefore) / 1024 / 1024).toFixed(1)),
      crashes,
      failures: tally.failures,
      byStatus: tally.byStatus,
      byCode: tally.byCode,
      closes: tally.closes,
    };
  } finally {
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
