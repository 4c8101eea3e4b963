// ctx.sleep and ctx.sleepUntil: a durable wait. The deadline is recorded when the code first
// reaches it, so a replay waits for the same moment, across sleeps and restarts of the actor.

import { never } from "./branch.ts";
import { checkName } from "./path.ts";
import { systemNow } from "./sandbox.ts";
import type { WorkflowScope } from "./scope.ts";

export async function runSleep(scope: WorkflowScope, name: string, deadline: (now: number) => number): Promise<void> {
  const slot = scope.cursor.claim("sleep", checkName(name, "ctx.sleep"));
  const { run } = scope;
  let record = slot.record;
  if (record?.status === "completed") {
    scope.clock.observe(record.completedAt);
    return;
  }
  if (!run.live) return run.park(scope.branch, slot);
  if (record === undefined) {
    const now = systemNow();
    record = { kind: "sleep", name, seq: slot.seq, status: "waiting", startedAt: now, updatedAt: now, deadline: deadline(now) };
    run.history.put(slot.path, record);
  }
  await run.waitUntil(scope.branch, record.deadline ?? 0);
  if (scope.branch.cancelled) return never();
  const now = systemNow();
  run.history.put(slot.path, { ...record, status: "completed", completedAt: now, updatedAt: now });
  scope.clock.observe(now);
}
