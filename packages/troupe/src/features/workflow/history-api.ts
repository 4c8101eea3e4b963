// Reads the workflow history of an actor from storage, awake or asleep, for the inspector and
// tests (the shape is engine/history-export.ts's).

import type { StorageDriver } from "../../storage/driver.ts";
import { History } from "./engine/history.ts";
import { exportHistory, type WorkflowHistory } from "./engine/history-export.ts";
import { WORKFLOW_PREFIX } from "./engine/records.ts";

const discard = { put() {}, deleteRange() {} };

/** The stored history of an actor's workflow (awake or asleep), or null if it never started one. */
export async function readWorkflowHistory(driver: StorageDriver, actorId: string): Promise<WorkflowHistory | null> {
  return exportHistory(History.decode(discard, await driver.list(actorId, { prefix: WORKFLOW_PREFIX })));
}
