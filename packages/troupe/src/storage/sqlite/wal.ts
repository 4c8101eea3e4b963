// Reading what SQLite appended to a database's write-ahead log: the frames of the transactions
// committed since a position, as cluster mode ships them to PostgreSQL (docs/database-in-cluster-mode.md).
// The database runs with wal_autocheckpoint=0, so the log only grows until its owner checkpoints it.

/** The log's header; each frame is a header of FRAME_HEADER bytes, then one page. */
export const WAL_HEADER = 32;
export const FRAME_HEADER = 24;

/** Where reading stopped: the byte offset of the next frame, in the log begun with these salts. */
export interface WalPosition {
  offset: number;
  salts: readonly [number, number] | undefined;
}

export const WAL_START: WalPosition = { offset: WAL_HEADER, salts: undefined };

export interface WalFrames {
  /** The frames, as they are in the log (header and page each), up to and including the last commit frame. */
  bytes: Uint8Array;
  pageSize: number;
  /** The size of the database in pages after the last commit. */
  pageCount: number;
  /** Every page the frames write. */
  pages: Set<number>;
  next: WalPosition;
}

/**
 * The committed frames of `walPath` past `from`, or undefined when there are none. A log begun
 * anew (other salts) is read from its start. Frames after the last commit frame belong to a
 * transaction that is not committed (or was rolled back) and are left for later.
 */
export function readCommittedFrames(walPath: string, from: WalPosition): WalFrames | undefined {
  const fs = process.getBuiltinModule("node:fs");
  let fd: number;
  try {
    fd = fs.openSync(walPath, "r");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size < WAL_HEADER) return undefined;
    const header = Buffer.alloc(WAL_HEADER);
    fs.readSync(fd, header, 0, WAL_HEADER, 0);
    const pageSize = header.readUInt32BE(8);
    const salts = [header.readUInt32BE(16), header.readUInt32BE(20)] as const;
    const restarted = from.salts === undefined || from.salts[0] !== salts[0] || from.salts[1] !== salts[1];
    const start = restarted ? WAL_HEADER : from.offset;
    if (size <= start) return undefined;
    const tail = Buffer.alloc(size - start);
    fs.readSync(fd, tail, 0, tail.length, start);
    const frameSize = FRAME_HEADER + pageSize;
    const pages = new Set<number>();
    let committed = 0;
    let pageCount = 0;
    const touched: number[] = [];
    for (let at = 0; at + frameSize <= tail.length; at += frameSize) {
      // A frame of an older log (left past the end of this one) carries that log's salts.
      if (tail.readUInt32BE(at + 8) !== salts[0] || tail.readUInt32BE(at + 12) !== salts[1]) break;
      touched.push(tail.readUInt32BE(at));
      const commitSize = tail.readUInt32BE(at + 4);
      if (commitSize !== 0) {
        committed = at + frameSize;
        pageCount = commitSize;
        for (const page of touched) pages.add(page);
        touched.length = 0;
      }
    }
    if (committed === 0) return undefined;
    return {
      bytes: new Uint8Array(tail.buffer, tail.byteOffset, committed),
      pageSize,
      pageCount,
      pages,
      next: { offset: start + committed, salts },
    };
  } finally {
    fs.closeSync(fd);
  }
}

/** Calls `write(pageNo, page)` for each frame of `frames` (as `readCommittedFrames` returns them), in order. */
export function forEachFrame(frames: Uint8Array, pageSize: number, write: (pageNo: number, page: Uint8Array) => void): void {
  const view = new DataView(frames.buffer, frames.byteOffset, frames.byteLength);
  const frameSize = FRAME_HEADER + pageSize;
  if (frames.byteLength % frameSize !== 0)
    throw new Error(`A shipped log of ${frames.byteLength} bytes is not whole frames of ${frameSize}.`);
  for (let at = 0; at < frames.byteLength; at += frameSize) {
    write(view.getUint32(at), frames.subarray(at + FRAME_HEADER, at + frameSize));
  }
}
