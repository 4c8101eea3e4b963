// Matches the calls a scope of workflow code makes against the entries that scope recorded, in
// order. The k-th call must be the k-th recorded entry (same kind, same name); past the recorded
// entries the code runs live and records new ones.

import { workflowErrors } from "./errors.ts";
import type { Path, PathSegment } from "./path.ts";
import type { EntryKind, EntryRecord } from "./records.ts";

export interface Slot {
  path: PathSegment[];
  seq: number;
  /** The recorded entry at this position; undefined at the frontier (run live). */
  record: EntryRecord | undefined;
}

export class Cursor {
  readonly scope: Path;
  readonly #recorded: EntryRecord[];
  #next = 0;
  readonly #names = new Set<string>();

  constructor(scope: Path, recorded: EntryRecord[]) {
    this.scope = scope;
    this.#recorded = recorded;
  }

  /** Takes the next position for an entry; throws `workflow.nondeterministic` on a mismatch. */
  claim(kind: EntryKind, name: string): Slot {
    this.#use(name);
    const record = this.#recorded[this.#next];
    if (record && (record.kind !== kind || record.name !== name)) {
      throw workflowErrors.nondeterministic(this.scope, record, { kind, name });
    }
    return { path: [...this.scope, name], seq: this.#next++, record };
  }

  /** Takes the next position when it holds `name` (ctx.removed, ctx.getVersion); else takes nothing. */
  claimIf(name: string, matches: (record: EntryRecord) => boolean): Slot | undefined {
    const record = this.#recorded[this.#next];
    if (record !== undefined && !matches(record)) return undefined;
    this.#use(name);
    return { path: [...this.scope, name], seq: this.#next++, record };
  }

  /** The first recorded entry the code has not reached; checked when the scope's code ends. */
  unreached(): EntryRecord | undefined {
    return this.#recorded[this.#next];
  }

  #use(name: string): void {
    if (this.#names.has(name)) throw workflowErrors.duplicateName(this.scope, name);
    this.#names.add(name);
  }
}
