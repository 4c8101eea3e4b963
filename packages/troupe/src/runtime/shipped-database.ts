// One actor's database on PostgreSQL storage (docs/database-in-cluster-mode.md): SQLite in a local
// file, in WAL mode with no automatic checkpoint, whose every commit is shipped to PostgreSQL as
// WAL frames, fenced by the instance's epoch, before the call that made it resolves. The local file
// is a cache (local-copies.ts): it is rebuilt from PostgreSQL unless a tag beside it says it is the
// durable version.

import { isErrorCode } from "../base/errors.ts";
import type { ActorDatabaseStore, DatabaseOwner } from "../features/db/databases.ts";
import { dbErrors } from "../features/db/errors.ts";
import type { ActorDatabaseLog, DatabaseWriter } from "../storage/postgres/database-log.ts";
import type { SqliteConnection } from "../storage/sqlite-connection.ts";
import type { SqliteBinding } from "../storage/sqlite/binding.ts";
import { openDatabaseFile } from "../storage/sqlite/open.ts";
import { readPages, writeDatabaseFile } from "../storage/sqlite/page-file.ts";
import { forEachFrame, readCommittedFrames, WAL_START, type WalPosition } from "../storage/sqlite/wal.ts";
import type { LocalCopies } from "./local-copies.ts";

/** The most bytes of frames one commit may ship (RivetKit caps a commit at 1.25 MiB; PostgreSQL takes far more). */
export const MAX_COMMIT_BYTES = 8 * 1024 * 1024;
/** Compaction folds the log into the snapshot once it holds this many bytes or versions. */
export const COMPACT_AT = { bytes: 4 * 1024 * 1024, versions: 1000 };

/** What the local file is, written beside it when it is closed in step with PostgreSQL. */
export interface CopyTag {
  version: number;
  snapshot: number;
  logBytes: number;
  /** Pages written since the snapshot: what the next compaction writes. */
  dirty: number[];
}

export class ShippedDatabase implements ActorDatabaseStore {
  readonly #log: ActorDatabaseLog;
  readonly #copies: LocalCopies<CopyTag>;
  readonly #path: string;
  readonly #actorId: string;
  readonly #owner: DatabaseOwner;
  readonly #binding: SqliteBinding | undefined;
  #version = 0;
  #snapshot = 0;
  #pageSize = 0;
  #pageCount = 0;
  #logBytes = 0;
  #dirty = new Set<number>();
  #position: WalPosition = WAL_START;
  /** A shipment is under way: the local file may hold a commit that PostgreSQL has not. */
  #shipping = false;
  /** Why the local file is no longer the durable copy; it is discarded when closed. */
  #broken: unknown;

  constructor(
    log: ActorDatabaseLog,
    copies: LocalCopies<CopyTag>,
    actorId: string,
    owner: DatabaseOwner,
    binding: SqliteBinding | undefined,
  ) {
    this.#log = log;
    this.#copies = copies;
    this.#path = copies.pathOf(actorId);
    this.#actorId = actorId;
    this.#owner = owner;
    this.#binding = binding;
  }

  async open(): Promise<SqliteConnection> {
    const tag = this.#copies.take(this.#path);
    const stored = await this.#log.load(this.#actorId, tag?.version);
    if (stored === undefined) {
      this.#copies.discard(this.#path);
    } else {
      this.#version = stored.version;
      this.#snapshot = stored.snapshot;
      this.#pageSize = stored.pageSize;
      this.#pageCount = stored.pageCount;
      if (stored.content === undefined && tag !== undefined) {
        this.#logBytes = tag.logBytes;
        // Compaction follows a commit, so one version has one snapshot; should they differ all the
        // same, the next compaction writes every page rather than trust the tag.
        const same = tag.snapshot === stored.snapshot;
        this.#dirty = new Set(same ? tag.dirty : Array.from({ length: stored.pageCount }, (_, i) => i + 1));
      } else {
        const { pages, logs } = stored.content ?? { pages: [], logs: [] };
        writeDatabaseFile(this.#path, stored.pageSize, stored.pageCount, pages, logs);
        for (const log of logs) {
          this.#logBytes += log.byteLength;
          forEachFrame(log, stored.pageSize, (pageNo) => this.#dirty.add(pageNo));
        }
      }
    }
    const connection = openDatabaseFile(this.#path, "normal", this.#binding);
    // Checkpoints happen only when the owner compacts, so the log holds every frame not yet shipped.
    connection.exec("PRAGMA wal_autocheckpoint = 0");
    return connection;
  }

  async afterCommit(connection: SqliteConnection): Promise<void> {
    if (this.#broken !== undefined) throw this.#broken;
    const frames = readCommittedFrames(`${this.#path}-wal`, this.#position);
    if (frames === undefined) return;
    if (frames.bytes.byteLength > MAX_COMMIT_BYTES) {
      this.#broken = dbErrors.commitTooLarge(frames.bytes.byteLength, MAX_COMMIT_BYTES);
      throw this.#broken;
    }
    this.#shipping = true;
    try {
      await this.#log.ship(this.#writer(), this.#version, frames.bytes, frames.pageSize, frames.pageCount);
    } catch (error) {
      this.#broken = error;
      throw error;
    } finally {
      this.#shipping = false;
    }
    this.#version++;
    this.#position = frames.next;
    this.#pageSize = frames.pageSize;
    this.#pageCount = frames.pageCount;
    this.#logBytes += frames.bytes.byteLength;
    for (const page of frames.pages) this.#dirty.add(page);
    const due = this.#logBytes >= COMPACT_AT.bytes || this.#version - this.#snapshot >= COMPACT_AT.versions;
    if (due && !this.#owner.creating) await this.#compact(connection);
  }

  /**
   * Folds the log into the snapshot. The commit that asked for it is durable already: a failure
   * here fails no call, and compaction is tried again after a later commit; a fenced one stops the
   * actor at its next SQL.
   */
  async #compact(connection: SqliteConnection): Promise<void> {
    connection.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    this.#position = WAL_START;
    const changed = [...this.#dirty].filter((page) => page <= this.#pageCount);
    try {
      const pages = readPages(this.#path, this.#pageSize, changed);
      await this.#log.compact(this.#writer(), this.#version, pages, this.#pageCount);
    } catch (error) {
      if (isErrorCode(error, "actor", "fenced")) this.#broken = error;
      return;
    }
    this.#snapshot = this.#version;
    this.#logBytes = 0;
    this.#dirty.clear();
  }

  close(connection: SqliteConnection): void {
    // Not shipped yet (closed while a commit was on its way) means possibly never durable.
    const unshipped = this.#shipping || readCommittedFrames(`${this.#path}-wal`, this.#position) !== undefined;
    connection.close();
    if (this.#broken !== undefined || unshipped) {
      this.#copies.discard(this.#path);
      return;
    }
    this.#copies.keep(this.#path, { version: this.#version, snapshot: this.#snapshot, logBytes: this.#logBytes, dirty: [...this.#dirty] });
  }

  async remove(): Promise<void> {
    await this.#log.remove(this.#actorId);
    this.#copies.discard(this.#path);
  }

  #writer(): DatabaseWriter {
    return { actorId: this.#actorId, epoch: this.#owner.epoch, creating: this.#owner.creating };
  }
}
