// The schedule feature's typed key.

import { featureKey } from "../../actor/feature.ts";
import type { ScheduleFeature } from "./feature.ts";

export const SCHEDULE = featureKey<ScheduleFeature>("schedule");
