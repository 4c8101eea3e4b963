// ctx.getVersion and ctx.removed: the two ways to change workflow code that running workflows
// replay. Both match a recorded entry only when it is theirs, and otherwise take no place.

import { workflowErrors } from "./errors.ts";
import { checkName } from "./path.ts";
import type { EntryKind } from "./records.ts";
import { systemNow } from "./sandbox.ts";
import type { WorkflowScope } from "./scope.ts";

export function runGetVersion(scope: WorkflowScope, name: string, latest: number): number {
  checkName(name, "ctx.getVersion");
  if (!(Number.isInteger(latest) && latest >= 1))
    throw workflowErrors.invalidArgument(`ctx.getVersion("${name}") needs an integer latest version of at least 1.`);
  const slot = scope.cursor.claimIf(name, (record) => record.kind === "version" && record.name === name);
  if (slot === undefined) return 1;
  if (slot.record) return slot.record.version ?? 1;
  const now = systemNow();
  scope.run.history.put(slot.path, {
    kind: "version",
    name,
    seq: slot.seq,
    status: "completed",
    startedAt: now,
    updatedAt: now,
    completedAt: now,
    version: latest,
  });
  return latest;
}

export function runRemoved(scope: WorkflowScope, name: string, kind: EntryKind): void {
  checkName(name, "ctx.removed");
  const slot = scope.cursor.claimIf(name, (record) => record.name === name && (record.kind === kind || record.removedKind === kind));
  if (slot === undefined || slot.record !== undefined) return;
  const now = systemNow();
  scope.run.history.put(slot.path, {
    kind: "removed",
    name,
    seq: slot.seq,
    status: "completed",
    startedAt: now,
    updatedAt: now,
    completedAt: now,
    removedKind: kind,
  });
}
