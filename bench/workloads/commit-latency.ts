// commit_latency: the storage driver alone, without actors, on SQLite or PostgreSQL → how long a
// durable commit takes for one actor's write (sequential commits), and how many actors' writes a
// second group commits carry with `group` batches each (the latency is per commit).
// Floors: the same bytes written by the bare database client, one transaction per commit.

import { encodeCbor } from "../../packages/troupe/src/base/cbor.ts";
import { PostgresFloor } from "../floors/postgres-floor.ts";
import { type FloorRow, floorRow, SqliteFloor } from "../floors/sqlite-floor.ts";
import { timeEach } from "../lib/pool.ts";
import { progress } from "../lib/progress.ts";
import { latency, perSecond, type PartialResult } from "../lib/result.ts";
import { percentile } from "../lib/stats.ts";
import { openStorage, type StorageKind, storageKind } from "../lib/storage.ts";
import { type TempDir, tempDir } from "../lib/temp-dir.ts";
import { runWorkload } from "../lib/workload.ts";

/** The key under which the runtime keeps an actor's state is not the point: any short key will do. */
const STATE_KEY = new Uint8Array([1]);

interface Floor {
  insert(rows: FloorRow[]): unknown;
  writeStates(rows: Array<{ id: string; state: Uint8Array }>): unknown;
  close(): Promise<void>;
}

async function openFloor(kind: StorageKind, file: string): Promise<Floor> {
  if (kind === "postgres") {
    const floor = await PostgresFloor.open();
    return {
      insert: (rows) => floor.insert(rows),
      writeStates: (rows) => floor.writeStates(rows),
      close: () => floor[Symbol.asyncDispose](),
    };
  }
  const floor = new SqliteFloor(file);
  return { insert: (rows) => floor.insert(rows), writeStates: (rows) => floor.writeStates(rows), close: async () => floor.close() };
}

/** Per-commit latencies of `commits` commits of `size` rows each, on the floor. */
async function floorSamples(kind: StorageKind, dir: TempDir, size: number, commits: number): Promise<number[]> {
  const floor = await openFloor(kind, dir.file(`floor-${size}.db`));
  const rows = Array.from({ length: size }, (_, i) => floorRow(`f${i}`, 0));
  await floor.insert(rows);
  const samples = await timeEach(commits, (c) =>
    floor.writeStates(rows.map((row, i) => ({ id: row.id, state: encodeCbor({ count: c + i }) }))),
  );
  await floor.close();
  return samples;
}

runWorkload(async (params) => {
  const n = params.int("n");
  const group = params.int("group");
  const groups = params.int("groups");
  const kind = storageKind(params.string("storage"));
  using dir = tempDir();

  progress(`commit_latency ${kind} floor: ${n} single-row commits, ${groups} commits of ${group} rows`);
  const singleFloor = await floorSamples(kind, dir, 1, n);
  const groupFloor = await floorSamples(kind, dir, group, groups);

  progress(`commit_latency ${kind}: ${n} single-batch commits, ${groups} commits of ${group} batches`);
  await using storage = await openStorage(kind, dir);
  const { driver } = storage;
  const ids = Array.from({ length: group }, (_, i) => `a${i}`);
  const created = await driver.commit(
    ids.map((id) => ({ actorId: id, epoch: 1, create: { id, name: "counter", key: [id], createdAt: Date.now(), epoch: 1 } })),
  );
  if (created.some((error) => error !== undefined)) throw new Error("could not create the actors");
  const write = (id: string, count: number) => ({
    actorId: id,
    epoch: 1,
    puts: [[STATE_KEY, encodeCbor({ count })]] as Array<[Uint8Array, Uint8Array]>,
  });
  const commit = async (batches: ReturnType<typeof write>[]) => {
    const results = await driver.commit(batches);
    if (results.some((error) => error !== undefined)) throw new Error("a commit was rejected");
  };

  const single = await timeEach(n, (i) => commit([write("a0", i)]));
  const perCommit = await timeEach(groups, (c) => commit(ids.map((id, i) => write(id, c + i))));
  const sorted = Float64Array.from(perCommit).sort();
  const totalMs = perCommit.reduce((sum, ms) => sum + ms, 0);
  const grouped: PartialResult = {
    value: perSecond(group * groups, totalMs),
    unit: "batches/s",
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    floor: perSecond(
      group * groups,
      groupFloor.reduce((sum, ms) => sum + ms, 0),
    ),
    n: group * groups,
  };
  return { [`commit_latency.${kind}.single`]: latency(single, singleFloor), [`commit_latency.${kind}.group_${group}`]: grouped };
});
