// The local copies of actors' databases on PostgreSQL storage (docs/database-in-cluster-mode.md),
// in a folder of this process's own. A closed copy is kept, with a tag that says which version it
// is, so that the next activation here reuses it; the closed copies are evicted least recently
// closed first once together they take more disk than the budget. An open copy is never evicted:
// it leaves the list as it is opened and comes back only when it is closed.

import { removeDatabaseFile } from "../storage/sqlite/open.ts";
import { actorDatabaseFile } from "../storage/sqlite/actor-files.ts";

/** What a copy takes on disk: the database, its WAL and shared-memory files, and its tag. */
const COPY_FILES = ["", "-wal", "-shm", ".tag"];

export class LocalCopies<Tag> {
  readonly #budget: number;
  readonly #parent: string | undefined;
  #folder: string | undefined;
  /** The closed copies' paths and sizes, least recently closed first (a Map keeps insertion order). */
  readonly #closed = new Map<string, number>();
  #bytes = 0;

  /** `budgetBytes`: the most bytes the closed copies may take together; `parent`: default the system temporary folder. */
  constructor(budgetBytes: number, parent?: string) {
    this.#budget = budgetBytes;
    this.#parent = parent;
  }

  /** The file of an actor's copy; the folder is made on first use, so a process without `c.db` makes none. */
  pathOf(actorId: string): string {
    const { mkdtempSync } = process.getBuiltinModule("node:fs");
    const { join } = process.getBuiltinModule("node:path");
    this.#folder ??= mkdtempSync(join(this.#parent ?? process.getBuiltinModule("node:os").tmpdir(), "troupe-db-"));
    return actorDatabaseFile(join(this.#folder, "cache"), actorId);
  }

  /**
   * The tag of a copy about to be opened, removed as it is read: from now on the file may run ahead
   * of PostgreSQL, and it is no longer the cache's to evict.
   */
  take(path: string): Tag | undefined {
    this.#forget(path);
    const fs = process.getBuiltinModule("node:fs");
    let text: string;
    try {
      text = fs.readFileSync(tagPath(path), "utf8");
    } catch {
      return undefined;
    }
    fs.rmSync(tagPath(path), { force: true });
    return fs.existsSync(path) ? (JSON.parse(text) as Tag) : undefined;
  }

  /** Tags a copy closed in step with PostgreSQL, and evicts the oldest closed copies while over the budget. */
  keep(path: string, tag: Tag): void {
    const fs = process.getBuiltinModule("node:fs");
    fs.writeFileSync(tagPath(path), JSON.stringify(tag));
    let size = 0;
    for (const suffix of COPY_FILES) size += fs.statSync(path + suffix, { throwIfNoEntry: false })?.size ?? 0;
    this.#forget(path);
    this.#closed.set(path, size);
    this.#bytes += size;
    for (const oldest of this.#closed.keys()) {
      if (this.#bytes <= this.#budget) break;
      this.discard(oldest);
    }
  }

  /** Deletes a copy and its tag: it is rebuilt from PostgreSQL at its next activation. */
  discard(path: string): void {
    this.#forget(path);
    removeDatabaseFile(path);
    process.getBuiltinModule("node:fs").rmSync(tagPath(path), { force: true });
  }

  /** Bytes the closed copies take. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Removes the folder and every copy in it; to be called once no copy is open. */
  close(): void {
    if (this.#folder !== undefined) process.getBuiltinModule("node:fs").rmSync(this.#folder, { recursive: true, force: true });
    this.#folder = undefined;
    this.#closed.clear();
    this.#bytes = 0;
  }

  #forget(path: string): void {
    this.#bytes -= this.#closed.get(path) ?? 0;
    this.#closed.delete(path);
  }
}

function tagPath(path: string): string {
  return `${path}.tag`;
}
