// A large state is stored in content-defined chunks: a commit that changes one field or appends one
// element writes the chunks that changed, not the whole state, and the state reads back whole
// after sleep, restart, a switch between the one-value and chunked layouts, and SIGKILL.

import { join } from "node:path";
import { pino } from "pino";
import { actor, SqliteDriver, setup } from "troupe";
import { expect, test } from "vitest";
import { CHUNKED_FROM, chunkEnds } from "../../src/actor/stored-state.ts";
import type { CommitBatch } from "../../src/storage/driver.ts";
import { runUntilKilled } from "../support/child-process.ts";
import { tempDir } from "../support/temp-dir.ts";
import { gated } from "./gated-driver.ts";

interface Doc {
  title: string;
  items: Array<{ n: number; text: string }>;
}

const item = (n: number) => ({ n, text: `item ${n} `.repeat(12) });

const doc = actor({
  state: { title: "", items: [] } as Doc,
  actions: {
    fill: (c, count: number) => {
      for (let n = 0; n < count; n++) c.state.items.push(item(n));
    },
    rename: (c, title: string) => {
      c.state.title = title;
    },
    append: (c) => {
      c.state.items.push(item(c.state.items.length));
    },
    edit: (c, at: number, text: string) => {
      (c.state.items[at] as Doc["items"][number]).text = text;
    },
    truncate: (c, length: number) => {
      c.state.items.length = length;
    },
    read: (c) => c.state,
  },
  options: { sleepTimeout: 3_600_000 },
});
const registry = setup({ use: { doc } });

/** Bytes of every key written by a group of commits. */
const bytesWritten = (commits: CommitBatch[][]) =>
  commits.flat().reduce((sum, batch) => sum + (batch.puts ?? []).reduce((s, [key, value]) => s + key.length + value.length, 0), 0);

test("chunk boundaries follow the content: an insertion moves no boundary far from it", () => {
  const bytes = new Uint8Array(512 * 1024).map((_, i) => (i * 2_654_435_761) >>> 24);
  const ends = chunkEnds(bytes);
  expect(ends.at(-1)).toBe(bytes.length);
  expect(ends.length).toBeGreaterThan(16);
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes.subarray(0, 1000));
  shifted.set([1, 2, 3], 1000);
  shifted.set(bytes.subarray(1000), 1003);
  const after = new Set(chunkEnds(shifted).map((end) => end - 3));
  const kept = ends.filter((end) => after.has(end)).length;
  expect(kept, `${kept} of ${ends.length} boundaries kept`).toBeGreaterThanOrEqual(ends.length - 2);
});

test("a 1 MB state changed by one field or one appended element writes kilobytes; it reads back whole", { timeout: 60_000 }, async () => {
  const path = join(tempDir("troupe-large-state-"), "troupe.db");
  const driver = gated(new SqliteDriver({ path }));
  const runtime = registry.createRuntime(driver, pino({ level: "silent" }));
  const handle = runtime.client.doc.getOrCreate(["big"]);
  await handle.fill(8_000);
  const expected = await handle.read();
  expect(JSON.stringify(expected).length).toBeGreaterThan(1_000_000);

  const measure = async (call: () => Promise<unknown>) => {
    driver.commits.length = 0;
    await call();
    return bytesWritten(driver.commits);
  };
  const renamed = await measure(() => handle.rename("hello"));
  const appended = await measure(() => handle.append());
  const edited = await measure(() => handle.edit(4_000, "changed"));
  for (const [what, bytes] of [
    ["rename", renamed],
    ["append", appended],
    ["edit", edited],
  ] as const) {
    expect(bytes, `${what} wrote ${bytes} bytes`).toBeLessThan(100 * 1024);
  }
  expected.title = "hello";
  expected.items.push(item(8_000));
  (expected.items[4_000] as Doc["items"][number]).text = "changed";
  expect(await handle.read()).toEqual(expected);

  // Asleep, the state is read back from its chunks; after a restart too.
  const [instance] = runtime.host.instances.values();
  await instance?.stop("sleep");
  expect(await handle.read()).toEqual(expected);
  await runtime.shutdown();
  const reopened = registry.createRuntime(new SqliteDriver({ path }), pino({ level: "silent" }));
  const again = reopened.client.doc.getOrCreate(["big"]);
  expect(await again.read()).toEqual(expected);

  // Shrunk below the threshold the state goes back to one value, and no chunk is left behind.
  await again.truncate(10);
  const actorId = await again.resolve();
  const [record] = await Promise.all([reopened.host.driver.getActorById(actorId)]);
  expect(record).toBeDefined();
  const keys = (await reopened.host.driver.list(actorId, { prefix: new Uint8Array([0x01]) })).map(([key]) => [...key]);
  expect(keys).toEqual([[0x01]]);
  const small = await again.read();
  expect(small.items).toHaveLength(10);
  expect(JSON.stringify(small).length).toBeLessThan(CHUNKED_FROM);
  await reopened.shutdown();
});

test("a chunked state survives SIGKILL at random moments: whole, with every acknowledged write", { timeout: 120_000 }, async () => {
  const child = join(import.meta.dirname, "fixtures", "large-state-child.ts");
  const path = join(tempDir("troupe-large-crash-"), "troupe.db");
  const actors = 3;
  const acked = new Map<number, number>();
  const run = async (killAfter: number) => {
    let count = 0;
    const lines = await runUntilKilled(child, [path, String(actors)], (line) => line.startsWith("ack ") && ++count >= killAfter);
    const found = new Map<number, { version: number; whole: boolean }>();
    const acks: Array<[number, number]> = [];
    for (const line of lines) {
      const [kind, i, version, whole] = line.split(" ");
      if (kind === "state") found.set(Number(i), { version: Number(version), whole: whole === "true" });
      if (kind === "ack") acks.push([Number(i), Number(version)]);
    }
    return { found, acks };
  };
  for (let cycle = 0; cycle < 8; cycle++) {
    const { found, acks } = await run(1 + Math.floor(Math.random() * 150));
    for (let i = 0; i < actors; i++) {
      const state = found.get(i);
      expect(state?.whole, `cycle ${cycle}: actor b${i} is whole`).toBe(true);
      const expected = acked.get(i) ?? 0;
      if ((state?.version ?? 0) < expected)
        expect.fail(`cycle ${cycle}: actor b${i} has version ${state?.version}, ${expected} was acknowledged`);
    }
    for (const [i, version] of acks) acked.set(i, Math.max(acked.get(i) ?? 0, version));
  }
});
