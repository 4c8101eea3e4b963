// Every feature, by name. An instance builds each one that applies to its definition.

import { QueueFeature } from "../queue/feature.ts";
import { ScheduleFeature } from "../schedule/feature.ts";
import { databaseFeature } from "../db/feature.ts";
import { workflowFeature } from "../workflow/feature.ts";
import type { FeatureFactory } from "./feature.ts";
import { RunFeature, runHandlerOf } from "./run.ts";

export const FEATURES: Record<string, FeatureFactory> = {
  // First, so that every other feature's start finds the database migrated.
  db: databaseFeature,
  queue: (instance) => new QueueFeature(instance),
  schedule: (instance) => new ScheduleFeature(instance),
  run: (instance) => {
    const handler = runHandlerOf(instance.def.config.run);
    return handler && new RunFeature(instance, handler);
  },
  workflow: workflowFeature,
};
