// Helpers for workflow tests: read an actor's workflow history, and wait for its status.

import type { StorageDriver } from "troupe";
import { readWorkflowHistory, type WorkflowHistory } from "troupe/workflow";
import { until } from "../support/until.ts";

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
  await until(
    `workflow status ${status}`,
    async () => {
      last = await readWorkflowHistory(driver, actorId);
      return last?.workflow.status === status;
    },
    { detail: () => `last history: ${JSON.stringify(last, null, 1)}` },
  );
  return last as unknown as WorkflowHistory;
}
