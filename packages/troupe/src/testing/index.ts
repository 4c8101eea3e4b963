// `troupe/test`: an isolated runtime per test on real SQLite in a temporary folder, removed afterwards.
// It runs under vitest, an optional peer dependency of troupe: only this entry point imports it.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { onTestFinished, type TestContext as VitestContext } from "vitest";
import type { AnyActorDefinition } from "../actor/definition.ts";
import { createClientFromDriver } from "../client/client.ts";
import type { Client } from "../client/types.ts";
import type { ActorHost } from "../host/host.ts";
import { LocalDriver } from "../runtime/local-driver.ts";
import { Registry } from "../runtime/registry.ts";
import type { Runtime } from "../runtime/runtime.ts";
import type { StorageDriver } from "../storage/driver.ts";
import { MemoryDriver } from "../storage/memory/driver.ts";
import { SqliteDriver } from "../storage/sqlite/driver.ts";

export interface SetupTestOptions {
  /** "sqlite" (default): a real database in a temporary folder. "memory": the in-memory driver. */
  storage?: "sqlite" | "memory";
  /** Log level of the test runtime. Default "silent" (set TROUPE_LOG_LEVEL to see logs). */
  logLevel?: string;
}

export interface TestContext<R extends Registry<Record<string, AnyActorDefinition>>> {
  /** The typed client; it keeps working across `restart()`. */
  readonly client: Client<R>;
  /** The current runtime's host (live instances, shutdown). */
  readonly host: ActorHost;
  /** The SQLite file, when storage is "sqlite". */
  readonly storagePath: string | undefined;
  /** Puts an actor to sleep now (as the idle timer would) and waits until it is asleep. */
  sleep(actorId: string): Promise<void>;
  /** Simulates a process restart: every actor sleeps, storage is closed and opened again. */
  restart(): Promise<void>;
  /** Simulates a crash and a restart: no hooks, no final saves; only what was committed remains. */
  crash(): Promise<void>;
  /** Shuts down and deletes the storage; runs by itself when the test ends. */
  cleanup(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * An isolated runtime for one test: `setupTest(registry, options?)`, or RivetKit's form
 * `setupTest(c, registry)` with vitest's test context `c` (its `onTestFinished` cleans up).
 */
// The current form last: `ReturnType<typeof setupTest>` reads the last overload.
export function setupTest<R extends Registry<Record<string, AnyActorDefinition>>>(
  test: VitestTestContext,
  registry: R,
  options?: SetupTestOptions,
): Promise<TestContext<R>>;
export function setupTest<R extends Registry<Record<string, AnyActorDefinition>>>(registry: R, options?: SetupTestOptions): TestContext<R>;
export function setupTest<R extends Registry<Record<string, AnyActorDefinition>>>(
  first: R | VitestTestContext,
  second?: R | SetupTestOptions,
  third?: SetupTestOptions,
): TestContext<R> | Promise<TestContext<R>> {
  if (first instanceof Registry) return setupIsolated(first, (second ?? {}) as SetupTestOptions);
  const ctx = setupIsolated(second as R, third ?? {});
  first.onTestFinished(() => ctx.cleanup());
  // RivetKit's form is awaited (`const { client } = await setupTest(c, registry)`).
  return Promise.resolve(ctx);
}

/** What RivetKit's form reads of vitest's test context. */
export type VitestTestContext = Pick<VitestContext, "onTestFinished">;

function setupIsolated<R extends Registry<Record<string, AnyActorDefinition>>>(registry: R, options: SetupTestOptions): TestContext<R> {
  const storage = options.storage ?? "sqlite";
  const dir = storage === "sqlite" ? mkdtempSync(join(tmpdir(), "troupe-test-")) : undefined;
  const storagePath = dir ? join(dir, "troupe.db") : undefined;
  const logger = pino({ level: options.logLevel ?? process.env.TROUPE_LOG_LEVEL ?? "silent" });
  const memory = new MemoryDriver();
  // The memory driver is kept across restarts, as a database file would be.
  const open = (): StorageDriver => (storagePath ? new SqliteDriver({ path: storagePath }) : memory);
  let runtime: Runtime = registry.createRuntime(open(), logger) as unknown as Runtime;
  let closed = false;

  const shutdown = async () => {
    await runtime.shutdown();
  };
  const ctx: TestContext<R> = {
    client: createClientFromDriver<R>(new LocalDriver(() => runtime.host, registry.transport)),
    get host() {
      return runtime.host;
    },
    storagePath,
    async sleep(actorId) {
      const instance = runtime.host.instances.get(actorId);
      if (instance) await instance.stop("sleep");
    },
    async restart() {
      await shutdown();
      runtime = registry.createRuntime(open(), logger) as unknown as Runtime;
    },
    async crash() {
      await runtime.host.abandon();
      runtime = registry.createRuntime(open(), logger) as unknown as Runtime;
    },
    async cleanup() {
      if (closed) return;
      closed = true;
      await shutdown();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    [Symbol.asyncDispose]() {
      return ctx.cleanup();
    },
  };
  try {
    onTestFinished(() => ctx.cleanup());
  } catch {
    // Not inside a running test: the caller cleans up (`await using`, or `cleanup()`).
  }
  return ctx;
}
