// state_writes: one actor with a large state (`kb` KB encoded: an array of small records), changed
// by one field or by one appended element per call, each call acknowledged once committed →
// bytes written per commit (keys + values handed to storage) and latency per call. Floor of the
// bytes: the encoded size of what changed (the new field, the new element). No floor for the latency.

import { actor, setup, SqliteDriver } from "troupe";
import { encodeCbor } from "../../packages/troupe/src/base/cbor.ts";
import { timeEach } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency, type Results } from "../lib/result.ts";
import { tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

type Batch = { puts?: Array<[Uint8Array, Uint8Array]> };

/** SQLite, counting the bytes of every put handed to it. */
class CountingDriver extends SqliteDriver {
  bytes = 0;
  override commit(batches: Parameters<SqliteDriver["commit"]>[0]) {
    for (const batch of batches as Batch[]) for (const [key, value] of batch.puts ?? []) this.bytes += key.length + value.length;
    return super.commit(batches);
  }
}

const record = (n: number) => ({ n, title: `record ${n}`, done: false, tags: ["a", "b"] });

const big = actor({
  state: { title: "", records: [] as Array<ReturnType<typeof record>> },
  actions: {
    fill: (c, count: number) => {
      for (let n = 0; n < count; n++) c.state.records.push(record(n));
      return encodeCbor(c.state).length;
    },
    rename: (c, title: string) => {
      c.state.title = title;
    },
    append: (c) => {
      c.state.records.push(record(c.state.records.length));
    },
  },
  options: { sleepTimeout: 3_600_000 },
});

runWorkload(async (params) => {
  const n = params.int("n");
  const kb = params.int("kb");
  using dir = tempDir();
  const driver = new CountingDriver({ path: dir.file("troupe.db") });
  const runtime = setup({ use: { big } }).createRuntime(driver);
  const handle = runtime.client.big.getOrCreate(["big"]);
  const perRecord = encodeCbor(record(1_000_000)).length;
  const size = await handle.fill(Math.ceil((kb * 1024) / perRecord));
  progress(`state_writes: a ${Math.round(size / 1024)} KB state, ${n} one-field changes, ${n} appends`);

  const measure = async (call: (i: number) => Promise<unknown>) => {
    const before = driver.bytes;
    const samples = await timeEach(n, call);
    return { samples, bytesPerCommit: (driver.bytes - before) / n };
  };
  const field = await measure((i) => handle.rename(`title ${i}`));
  const append = await measure(() => handle.append());
  await runtime.shutdown();

  const results: Results = {
    "state_writes.field.bytes": {
      value: field.bytesPerCommit,
      unit: "B/commit",
      floor: encodeCbor(`title ${n}`).length,
      n,
    },
    "state_writes.append.bytes": { value: append.bytesPerCommit, unit: "B/commit", floor: perRecord, n },
    "state_writes.field": latency(field.samples),
    "state_writes.append": latency(append.samples),
  };
  return results;
});
