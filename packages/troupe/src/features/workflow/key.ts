// The workflow feature's typed key.

import { featureKey } from "../../actor/feature.ts";
import type { WorkflowFeature } from "./feature.ts";

export const WORKFLOW = featureKey<WorkflowFeature>("workflow");
