// Helpers for workflow tests: wait for a condition without relying on timers (tests may fake
// them), and read an actor's workflow history.

import type { StorageDriver } from "troupe";
import { readWorkflowHistory, type WorkflowHistory } from "troupe/workflow";

const realImmediate = globalThis.setImmediate;
const turn = () => new Promise<void>((resolve) => realImmediate(resolve));

/** Polls `check` between event-loop turns until it returns true; fails with `what` after `ms` of real time. */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (await check()) return;
    await turn();
  }
  throw new Error(`timed out waiting for: ${what}`);
}

export async function history(driver: StorageDriver, actorId: string): Promise<WorkflowHistory> {
  const found = await readWorkflowHistory(driver, actorId);
  if (!found) throw new Error(`actor ${actorId} has no workflow history`);
  return found;
}

/** The status of each entry by location, for compact assertions. */
export function statuses(history: WorkflowHistory): Record<string, string> {
  return Object.fromEntries(history.entries.map((e) => [e.location, e.status]));
}

/** The status of the entry at `location` (undefined before it exists). */
export async function entryStatus(driver: StorageDriver, actorId: string, location: string): Promise<string | undefined> {
  return (await readWorkflowHistory(driver, actorId))?.entries.find((e) => e.location === location)?.status;
}

/** Waits until the workflow's record has `status`. */
export async function untilStatus(driver: StorageDriver, actorId: string, status: string): Promise<WorkflowHistory> {
  let last: WorkflowHistory | null = null;
  await until(`workflow status ${status}`, async () => {
    last = await readWorkflowHistory(driver, actorId);
    return last?.workflow.status === status;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last history: ${JSON.stringify(last, null, 1)}`);
  });
  return last as unknown as WorkflowHistory;
}
