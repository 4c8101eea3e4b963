// How an actor's encoded state is laid out in its key-value namespace. A small state is one value
// under STATE_KEY. A large one is cut into content-defined chunks, each under a key of its own, with
// a manifest listing them in order: a commit writes only the chunks whose bytes changed (and the
// manifest), so changing one field or appending one element to a 1 MB state writes kilobytes, not
// the megabyte. Boundaries follow the content (a rolling hash), so an insertion shifts no other
// chunk. Every commit's puts and deletes go in the same atomic batch: storage always holds one
// complete version, the old or the new. Chunk ids are never reused.

import { decodeCbor, encodeCbor } from "../base/cbor.ts";
import type { Bytes, KvWrites } from "../storage/driver.ts";
import { STATE_KEY, STATE_PREFIX } from "./storage-keys.ts";

/** From this many encoded bytes on, a state is stored in chunks. */
export const CHUNKED_FROM = 64 * 1024;
const MIN_CHUNK = 2 * 1024;
const MAX_CHUNK = 64 * 1024;
/** A boundary where the high 13 bits of the rolling hash are zero (they depend on the last 32 bytes; the low ones on fewer): chunks of about 8 KB past the minimum. */
const BOUNDARY_MASK = 0xfff80000;

export const MANIFEST_KEY = new Uint8Array([STATE_PREFIX, 0x01]);
const CHUNK_TAG = 0x02;

/** The key of chunk `id`: STATE_PREFIX, the chunk tag, the id in 6 bytes big-endian. */
export function chunkKey(id: number): Uint8Array {
  const key = new Uint8Array(8);
  key[0] = STATE_PREFIX;
  key[1] = CHUNK_TAG;
  new DataView(key.buffer).setUint16(2, Math.floor(id / 2 ** 32));
  new DataView(key.buffer).setUint32(4, id % 2 ** 32);
  return key;
}

/** 256 fixed pseudo-random words for the rolling hash (xorshift32 from a constant seed). */
const GEAR = (() => {
  const table = new Uint32Array(256);
  let x = 0x9e3779b9;
  for (let i = 0; i < 256; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    table[i] = x >>> 0;
  }
  return table;
})();

/**
 * The end of the content-defined chunk of `bytes` that starts at `start`. A boundary depends only
 * on the chunk's start and the bytes since: chunking from a boundary that two encodings share
 * finds the same boundaries for as long as their bytes are the same.
 */
export function chunkEnd(bytes: Uint8Array, start: number): number {
  const limit = Math.min(bytes.length, start + MAX_CHUNK);
  let hash = 0;
  // The hash at a byte is the sum of the last 32 bytes' words, each shifted by its distance: the
  // bytes of a chunk before its last 32 short of the minimum cannot move a boundary, and are skipped.
  for (let i = start + MIN_CHUNK - 32; i < limit; i++) {
    hash = ((hash << 1) + (GEAR[bytes[i] as number] as number)) >>> 0;
    if ((hash & BOUNDARY_MASK) === 0 && i + 1 - start >= MIN_CHUNK) return i + 1;
  }
  return limit;
}

/** End offsets of the content-defined chunks of `bytes`. */
export function chunkEnds(bytes: Uint8Array): number[] {
  const ends: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    at = chunkEnd(bytes, at);
    ends.push(at);
  }
  return ends;
}

interface Chunk {
  id: number;
  bytes: Uint8Array;
}

/** The stored form of a large state: its chunk ids in order. */
interface Manifest {
  chunks: number[];
}

/** Compared four bytes at a time: a large state's unchanged chunks are all compared at each commit. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const words = a.length - (a.length % 4);
  const left = new DataView(a.buffer, a.byteOffset, a.length);
  const right = new DataView(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < words; i += 4) if (left.getUint32(i) !== right.getUint32(i)) return false;
  for (let i = words; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A cheap fingerprint to find candidate chunks; a match is always confirmed byte by byte. */
function fingerprint(bytes: Uint8Array): string {
  const n = bytes.length;
  return `${n}:${bytes[0]}:${bytes[n >> 1]}:${bytes[n - 1]}:${bytes[n >> 2]}:${bytes[(3 * n) >> 2]}`;
}

export class StoredState {
  /** The chunks storage holds for this actor, in order; undefined while the state is one value. */
  #chunks: Chunk[] | undefined;
  #nextId = 1;

  /**
   * Reads an actor's encoded state in whichever layout it has (undefined when there is none), and
   * the layout, for `StoredState.from` to continue writing it.
   */
  static async read(
    get: (keys: Bytes[]) => Promise<Array<Bytes | undefined>>,
  ): Promise<{ bytes: Uint8Array | undefined; stored: StoredState }> {
    const stored = new StoredState();
    const [single, manifestBytes] = await get([STATE_KEY, MANIFEST_KEY]);
    if (single !== undefined || manifestBytes === undefined) return { bytes: single, stored };
    const manifest = decodeCbor(manifestBytes) as Manifest;
    const parts = await get(manifest.chunks.map(chunkKey));
    const chunks = manifest.chunks.map((id, i) => {
      const bytes = parts[i];
      if (bytes === undefined) throw new Error(`State chunk ${id} is missing from storage.`);
      return { id, bytes };
    });
    const total = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.bytes.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      total.set(chunk.bytes, at);
      chunk.bytes = total.subarray(at, at + chunk.bytes.length);
      at += chunk.bytes.length;
    }
    stored.#chunks = chunks;
    stored.#nextId = Math.max(0, ...manifest.chunks) + 1;
    return { bytes: total, stored };
  }

  /** Whether storage holds the state in chunks (else as one value, or not at all). */
  get chunked(): boolean {
    return this.#chunks !== undefined;
  }

  /**
   * The puts and deletes that replace what storage holds with `bytes`; assumes they will be
   * committed. Only the part that changed is chunked again: the chunks at the start and at the end
   * whose bytes are unchanged are kept, and chunking resumes from the first boundary past the
   * change that falls where a kept chunk at the end starts. Chunks of the changed part whose bytes
   * are already stored (a part that moved) are kept too.
   */
  writes(bytes: Uint8Array): Required<Pick<KvWrites, "puts" | "deletes">> {
    const old = this.#chunks;
    if (bytes.length < CHUNKED_FROM) {
      this.#chunks = undefined;
      return { puts: [[STATE_KEY, bytes]], deletes: old ? [MANIFEST_KEY, ...old.map((c) => chunkKey(c.id))] : [] };
    }
    const before = old ?? [];
    const { head, at, tail, back } = sharedEnds(before, bytes);
    // Where in `bytes` each chunk of the shared end starts.
    const resumeAt = new Map<number, number>();
    for (let i = tail, start = back; i < before.length; start += (before[i] as Chunk).bytes.length, i++) resumeAt.set(start, i);
    const candidates = new Map<string, Chunk[]>();
    for (const chunk of before.slice(head)) {
      const key = fingerprint(chunk.bytes);
      const list = candidates.get(key);
      if (list) list.push(chunk);
      else candidates.set(key, [chunk]);
    }

    const chunks = before.slice(0, head);
    const kept = new Set<number>();
    const puts: Array<[Bytes, Bytes]> = [];
    // The stored chunk that followed the last one kept: where the bytes are the same again.
    let next = head;
    for (let start = at; start < bytes.length; ) {
      const resume = resumeAt.get(start);
      // A boundary where a chunk of the shared end starts: the rest is that end's chunks (unless
      // one of them was kept already, earlier in the changed part).
      if (resume !== undefined && before.slice(resume).every((c) => !kept.has(c.id))) {
        chunks.push(...before.slice(resume));
        break;
      }
      // The next stored chunk, byte for byte, is where chunking would end it (its end depends on its
      // own bytes, unless it was the last one, cut by the end of the state): no need to hash it.
      const following = before[next];
      const fits = following !== undefined && !kept.has(following.id) && storedAt(before, next, bytes, start);
      const end = fits ? start + following.bytes.length : chunkEnd(bytes, start);
      const slice = bytes.subarray(start, end);
      start = end;
      const same = fits
        ? (following as Chunk)
        : candidates.get(fingerprint(slice))?.find((c) => !kept.has(c.id) && sameBytes(c.bytes, slice));
      if (same) {
        kept.add(same.id);
        chunks.push(same);
        next = fits ? next + 1 : before.indexOf(same) + 1;
        continue;
      }
      const id = this.#nextId++;
      // A copy: the encoder may reuse `bytes`' buffer, and storage may hold on to a put.
      const copy = slice.slice();
      puts.push([chunkKey(id), copy]);
      chunks.push({ id, bytes: copy });
    }
    this.#chunks = chunks;
    if (old === undefined) {
      puts.push([MANIFEST_KEY, encodeManifest(chunks)]);
      return { puts, deletes: [STATE_KEY] };
    }
    const used = new Set(chunks.map((c) => c.id));
    const deletes = old.filter((c) => !used.has(c.id)).map((c) => chunkKey(c.id));
    // The same chunks in the same order: the manifest stays as it is.
    if (puts.length > 0 || deletes.length > 0 || chunks.length !== old.length || chunks.some((c, i) => c !== old[i])) {
      puts.push([MANIFEST_KEY, encodeManifest(chunks)]);
    }
    return { puts, deletes };
  }
}

/**
 * Whether `bytes` hold stored chunk `i` at `at`, ending where chunking them from `at` would. A chunk's
 * end depends only on its own bytes, except the last one's, which the end of the old bytes may have cut.
 */
function storedAt(chunks: Chunk[], i: number, bytes: Uint8Array, at: number): boolean {
  const chunk = (chunks[i] as Chunk).bytes;
  const end = at + chunk.length;
  if (end > bytes.length || (i === chunks.length - 1 && end < bytes.length)) return false;
  return sameBytes(chunk, bytes.subarray(at, end));
}

/**
 * How many of `chunks` have the same bytes at the start of `bytes` (`head`, ending at `at`), and from
 * which one on the rest have the same bytes at its end (`tail`, starting at `back`); the two do not overlap.
 */
function sharedEnds(chunks: Chunk[], bytes: Uint8Array): { head: number; at: number; tail: number; back: number } {
  let head = 0;
  let at = 0;
  for (; head < chunks.length; head++) {
    if (!storedAt(chunks, head, bytes, at)) break;
    at += (chunks[head] as Chunk).bytes.length;
  }
  let tail = chunks.length;
  let back = bytes.length;
  for (; tail > head; tail--) {
    const chunk = (chunks[tail - 1] as Chunk).bytes;
    if (back - chunk.length < at || !sameBytes(chunk, bytes.subarray(back - chunk.length, back))) break;
    back -= chunk.length;
  }
  return { head, at, tail, back };
}

function encodeManifest(chunks: Chunk[]): Uint8Array {
  return encodeCbor({ chunks: chunks.map((c) => c.id) } satisfies Manifest);
}
