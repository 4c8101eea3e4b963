// The workflow history in memory: every entry record by path, grouped by scope in the order the
// code reached them, and the workflow record. Every change goes through here so that memory and
// the pending storage writes never disagree.

import { type Path, type PathSegment, pathId } from "./path.ts";
import { type EntryRecord, entryKey, entryPath, encodeRecord, META_KEY, type WorkflowRecord, decodeRecord } from "./records.ts";

/** Where history changes go: the actor's pending writes, or nowhere when only replaying. */
export interface HistorySink {
  put(key: Uint8Array, value: Uint8Array): void;
  deleteRange(start: Uint8Array, end: Uint8Array): void;
}

export interface StoredEntry {
  path: PathSegment[];
  record: EntryRecord;
}

export class History {
  workflow: WorkflowRecord | undefined;
  readonly #entries = new Map<string, StoredEntry>();
  readonly #sink: HistorySink;

  constructor(sink: HistorySink, workflow: WorkflowRecord | undefined, entries: Iterable<StoredEntry>) {
    this.#sink = sink;
    this.workflow = workflow;
    for (const entry of entries) this.#entries.set(pathId(entry.path), entry);
  }

  /** Builds the history from the key-value pairs stored under WORKFLOW_BYTE. */
  static decode(sink: HistorySink, pairs: Iterable<[Uint8Array, Uint8Array]>): History {
    let workflow: WorkflowRecord | undefined;
    const entries: StoredEntry[] = [];
    for (const [key, value] of pairs) {
      const path = entryPath(key);
      if (path === undefined) workflow = decodeRecord<WorkflowRecord>(value);
      else entries.push({ path, record: decodeRecord<EntryRecord>(value) });
    }
    return new History(sink, workflow, entries);
  }

  get(path: Path): EntryRecord | undefined {
    return this.#entries.get(pathId(path))?.record;
  }

  /** The recorded entries directly inside `scope`, in the order the code reached them. */
  scope(scope: Path): EntryRecord[] {
    const out: EntryRecord[] = [];
    for (const { path, record } of this.#entries.values()) {
      if (path.length === scope.length + 1 && scope.every((segment, i) => path[i] === segment)) out.push(record);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  entries(): StoredEntry[] {
    return [...this.#entries.values()];
  }

  put(path: Path, record: EntryRecord): void {
    this.#entries.set(pathId(path), { path: [...path], record });
    this.#sink.put(entryKey(path), encodeRecord(record));
  }

  setWorkflow(record: WorkflowRecord): void {
    this.workflow = record;
    this.#sink.put(META_KEY, encodeRecord(record));
  }

  /** Deletes every entry below `path` whose next segment is an iteration before `before`. */
  deleteIterations(path: Path, before: number): void {
    if (before <= 0) return;
    let found = false;
    for (const [id, entry] of this.#entries) {
      const segment = entry.path[path.length];
      if (entry.path.length > path.length && typeof segment === "number" && segment < before && isPrefix(path, entry.path)) {
        this.#entries.delete(id);
        found = true;
      }
    }
    if (found) this.#sink.deleteRange(entryKey([...path, 0]), entryKey([...path, before]));
  }
}

function isPrefix(prefix: Path, path: Path): boolean {
  return prefix.every((segment, i) => path[i] === segment);
}
