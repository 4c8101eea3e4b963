// Workflows as a feature: an actor whose `run` is a workflow gets one.

import type { FeaturePlugin } from "../../actor/feature.ts";
import { type RunConfig, runHandlerOf } from "../run/plugin.ts";
import { WorkflowFeature } from "./feature.ts";
import { WORKFLOW_ERROR_CODES } from "./engine/errors.ts";
import { WORKFLOW } from "./key.ts";
import { WORKFLOW_BYTE } from "./engine/records.ts";
import { workflowOf } from "./workflow.ts";

export const workflowFeature: FeaturePlugin<WorkflowFeature> = {
  key: WORKFLOW,
  errorCodes: WORKFLOW_ERROR_CODES,
  storagePrefix: WORKFLOW_BYTE,
  create: (services) =>
    workflowOf(runHandlerOf(services.def.config.run as RunConfig | undefined)) ? new WorkflowFeature(services) : undefined,
};
