// A temporary folder for a workload's SQLite files, removed when disposed.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempDir extends Disposable {
  readonly path: string;
  file(name: string): string;
}

export function tempDir(): TempDir {
  const path = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), "troupe-bench-"));
  return {
    path,
    file: (name) => join(path, name),
    [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }),
  };
}
