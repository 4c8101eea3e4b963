// A SQLite database file seen as pages: written from the pages and log frames that cluster mode
// keeps in PostgreSQL, and read back page by page for a snapshot.

import { forEachFrame } from "./wal.ts";
import { removeDatabaseFile } from "./open.ts";

export interface PageImage {
  pageNo: number;
  data: Uint8Array;
}

/**
 * Writes the database file at `path` (replacing it and its log): the snapshot's pages, then every
 * log's frames in order, cut to `pageCount` pages. Written beside it and renamed into place, so a
 * crash leaves either no file or a whole one.
 */
export function writeDatabaseFile(path: string, pageSize: number, pageCount: number, pages: PageImage[], logs: Uint8Array[]): void {
  const fs = process.getBuiltinModule("node:fs");
  fs.mkdirSync(process.getBuiltinModule("node:path").dirname(path), { recursive: true });
  removeDatabaseFile(path);
  const building = `${path}.building`;
  const fd = fs.openSync(building, "w");
  try {
    const write = (pageNo: number, data: Uint8Array) => {
      if (data.byteLength !== pageSize)
        throw new Error(`Page ${pageNo} has ${data.byteLength} bytes; the database's pages have ${pageSize}.`);
      fs.writeSync(fd, data, 0, data.byteLength, (pageNo - 1) * pageSize);
    };
    for (const page of pages) write(page.pageNo, page.data);
    for (const log of logs) forEachFrame(log, pageSize, write);
    fs.ftruncateSync(fd, pageCount * pageSize);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(building, path);
}

/** The pages `pageNos` of the database file at `path` (checkpointed: its log holds nothing newer). */
export function readPages(path: string, pageSize: number, pageNos: Iterable<number>): PageImage[] {
  const fs = process.getBuiltinModule("node:fs");
  const fd = fs.openSync(path, "r");
  try {
    const images: PageImage[] = [];
    for (const pageNo of pageNos) {
      const data = Buffer.alloc(pageSize);
      const read = fs.readSync(fd, data, 0, pageSize, (pageNo - 1) * pageSize);
      if (read !== pageSize) throw new Error(`Page ${pageNo} is past the end of ${path}.`);
      images.push({ pageNo, data });
    }
    return images;
  } finally {
    fs.closeSync(fd);
  }
}
