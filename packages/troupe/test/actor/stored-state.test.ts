// A large state's chunks after random edits: only the changed part is chunked again, yet the chunks
// are exactly those of chunking the whole new encoding (so the layout never drifts with history),
// storage always reads back the new bytes, and a commit writes little more than what changed.

import { expect, test } from "vitest";
import { chunkEnds, chunkKey, MANIFEST_KEY, StoredState } from "../../src/actor/stored-state.ts";
import { decodeCbor } from "../../src/base/cbor.ts";
import { seededRandom } from "../support/seeded-random.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** A key-value store the writes are applied to, as a commit would. */
class Store {
  readonly values = new Map<string, Uint8Array>();
  apply({ puts, deletes }: ReturnType<StoredState["writes"]>): number {
    for (const key of deletes) this.values.delete(hex(key));
    for (const [key, value] of puts) this.values.set(hex(key), value);
    return puts.reduce((sum, [, value]) => sum + value.length, 0);
  }
  get = async (keys: Uint8Array[]) => keys.map((key) => this.values.get(hex(key)));
  /** The lengths of the stored chunks, in the manifest's order. */
  chunkLengths(): number[] {
    const { chunks } = decodeCbor(this.values.get(hex(MANIFEST_KEY)) as Uint8Array) as { chunks: number[] };
    return chunks.map((id) => (this.values.get(hex(chunkKey(id))) as Uint8Array).length);
  }
}

function edit(bytes: Uint8Array, next: () => number): { bytes: Uint8Array; changed: number } {
  // One edit in five at the very end (an element appended): the last chunk was cut by the end.
  const at = next() < 0.2 ? bytes.length : Math.floor(next() * bytes.length);
  const size = 1 + Math.floor(next() * (next() < 0.8 ? 64 : 20_000));
  const inserted = new Uint8Array(size).map(() => Math.floor(next() * 256));
  const kind = Math.floor(next() * 3);
  const removed = kind === 0 ? 0 : Math.min(size, bytes.length - at);
  const out = new Uint8Array(bytes.length - removed + (kind === 2 ? 0 : size));
  out.set(bytes.subarray(0, at));
  if (kind !== 2) out.set(inserted, at);
  out.set(bytes.subarray(at + removed), kind === 2 ? at : at + size);
  return { bytes: out, changed: size };
}

test.each([1, 2, 3, 4])("seed %i: after every edit the chunks are the whole encoding's, and only the change is written", async (seed) => {
  const next = seededRandom(seed);
  let bytes: Uint8Array = new Uint8Array(600 * 1024).map(() => Math.floor(next() * 256));
  const stored = new StoredState();
  const store = new Store();
  store.apply(stored.writes(bytes));
  for (let step = 0; step < 60; step++) {
    const edited = edit(bytes, next);
    bytes = edited.bytes;
    const written = store.apply(stored.writes(bytes));
    const ends = chunkEnds(bytes);
    expect(store.chunkLengths(), `step ${step}`).toEqual(ends.map((end, i) => end - (ends[i - 1] ?? 0)));
    // The changed bytes, plus at most the chunks around them (64 KB at most each), plus the manifest.
    expect(written, `step ${step}`).toBeLessThanOrEqual(edited.changed + 3 * 64 * 1024 + 1024);
    const read = await StoredState.read(store.get);
    expect(read.bytes && hex(read.bytes) === hex(bytes), `step ${step}`).toBe(true);
  }
});

test("bytes that did not change write nothing; a part moved elsewhere keeps its chunks", () => {
  const next = seededRandom(9);
  const bytes = new Uint8Array(400 * 1024).map(() => Math.floor(next() * 256));
  const stored = new StoredState();
  const store = new Store();
  store.apply(stored.writes(bytes));
  expect(stored.writes(bytes.slice())).toEqual({ puts: [], deletes: [] });
  // The two halves swapped: every chunk but the ones at the seams is stored already.
  const half = chunkEnds(bytes)[10] as number;
  const swapped = new Uint8Array(bytes.length);
  swapped.set(bytes.subarray(half));
  swapped.set(bytes.subarray(0, half), bytes.length - half);
  const written = store.apply(stored.writes(swapped));
  expect(written).toBeLessThan(3 * 64 * 1024);
});
