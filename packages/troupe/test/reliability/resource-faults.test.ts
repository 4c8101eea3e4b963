// Storage that fails under a running server: a full disk and a read-only file system (each a real
// tmpfs, mounted by the test; root only), and a storage file deleted while open. A write that
// failed is answered with a typed error and never lands later, so the retry the error asks for
// applies it once; the outage is logged once per window, with a count, not once per failure.

import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { actor, SqliteDriver, setup } from "troupe";
import { expect, onTestFinished, test } from "vitest";
import { tempDir } from "../support/temp-dir.ts";
import { canMount, mountTmpfs, remount } from "../support/tmpfs.ts";
import { captureLog } from "./fixtures/log-capture.ts";

/** A write of `chunks` values of 100 KB (the KV value limit is 128 KiB) and a count, in one commit. */
const CHUNK = 100 * 1024;
const notes = actor({
  state: { count: 0 },
  actions: {
    write: async (c, key: string, chunks: number) => {
      c.state.count++;
      for (let i = 0; i < chunks; i++) await c.kv.put(`${key}/${i}`, "x".repeat(CHUNK));
      return c.state.count;
    },
    read: async (c, key: string) => {
      let bytes = 0;
      for (let i = 0; i < 10; i++) bytes += ((await c.kv.get(`${key}/${i}`)) as string | undefined)?.length ?? 0;
      return { count: c.state.count, bytes };
    },
  },
});
const registry = setup({ use: { notes } });

function open(path: string, logger = captureLog().logger) {
  const runtime = registry.createRuntime(new SqliteDriver({ path }), logger);
  onTestFinished(() => runtime.shutdown());
  return runtime;
}

/** Fills the file system of `dir` to its last byte with a file of its own. */
function fill(dir: string): string {
  const filler = join(dir, "filler");
  const fd = openSync(filler, "w");
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let size = chunk.length; size >= 1; ) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch (error) {
        if ((error as { code?: string }).code !== "ENOSPC") throw error;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

// Mounting a tmpfs needs root; elsewhere these two are skipped (the deleted-file test still runs).
test.skipIf(!canMount)(
  "a full disk: a failed write is not applied, its retry applies it once, the outage logs a few lines",
  {
    timeout: 60_000,
  },
  async () => {
    const dir = mountTmpfs("4m");
    const log = captureLog();
    const runtime = open(join(dir, "troupe.db"), log.logger);
    const h = runtime.client.notes.getOrCreate("n");
    for (let i = 1; i <= 3; i++) expect(await h.write(`small-${i}`, 1)).toBe(i);
    const filler = fill(dir);

    await expect(h.write("big", 5)).rejects.toMatchObject({ group: "storage", code: "error" });
    let failures = 1;
    for (let i = 0; i < 100; i++) {
      await expect(h.write(`big-${i}`, 5)).rejects.toMatchObject({ group: "storage" });
      failures++;
    }
    const outageLines = log.lines.filter((l) => l.msg.startsWith("storage commit failed"));
    expect(outageLines.length, `${failures} failed commits were logged in ${outageLines.length} lines`).toBeLessThanOrEqual(2);

    rmSync(filler);
    // None of the failed writes landed: the actor reloaded its last durable state.
    expect(await h.read("big")).toEqual({ count: 3, bytes: 0 });
    // The retry the error asked for applies the write once.
    expect(await h.write("big", 5)).toBe(4);
    expect(await h.read("big")).toEqual({ count: 4, bytes: 5 * CHUNK });
    await runtime.shutdown();
    // The summary of the repeats, with their count, is written by the shutdown at the latest.
    const summary = log.lines.find((l) => l.msg.startsWith("storage commit failed (and"));
    expect(summary?.repeats).toBeGreaterThanOrEqual(50);
    const reopened = open(join(dir, "troupe.db"));
    expect(await reopened.client.notes.getOrCreate("n").read("big")).toEqual({ count: 4, bytes: 5 * CHUNK });
  },
);

test.skipIf(!canMount)(
  "storage on a read-only file system is refused at open, saying why; the data is there once writable",
  {
    timeout: 60_000,
  },
  async () => {
    const dir = mountTmpfs("4m");
    const path = join(dir, "troupe.db");
    const runtime = open(path);
    expect(await runtime.client.notes.getOrCreate("a").write("k", 1)).toBe(1);
    await runtime.shutdown();
    remount(dir, "ro");
    expect(() => new SqliteDriver({ path })).toThrow(
      expect.objectContaining({ group: "storage", code: "cannot_open", message: expect.stringContaining("read-only") }),
    );
    remount(dir, "rw");
    expect(await open(path).client.notes.getOrCreate("a").read("k")).toEqual({ count: 1, bytes: CHUNK });
  },
);

test("a storage file deleted while open: writes fail with storage.file_missing, logged, and /health reports it", async () => {
  const path = join(tempDir("troupe-deleted-"), "troupe.db");
  const log = captureLog();
  const served = setup({ use: { notes }, storage: { driver: "sqlite", path }, logging: { logger: log.logger } });
  onTestFinished(() => served.shutdown());
  const health = async () => {
    const response = await served.handler(new Request("http://troupe.local/health"));
    return { status: response.status, body: (await response.json()) as { status: string; error?: { code: string } } };
  };
  const h = served.runtime().client.notes.getOrCreate("n");
  expect(await h.write("k", 1)).toBe(1);
  expect(await health()).toMatchObject({ status: 200, body: { status: "ok" } });

  rmSync(path);
  await expect(h.write("k2", 1)).rejects.toMatchObject({ group: "storage", code: "file_missing" });
  expect(await health()).toMatchObject({ status: 503, body: { status: "unavailable", error: { group: "storage", code: "file_missing" } } });
  expect(log.lines.some((l) => l.msg.startsWith("storage commit failed") && JSON.stringify(l).includes("file_missing"))).toBe(true);
});
