// Every feature, by name. An instance builds each one that applies to its definition.

import { QueueFeature } from "../features/queue/feature.ts";
import { ScheduleFeature } from "../features/schedule/feature.ts";
import { databaseFeature } from "../features/db/feature.ts";
import { workflowFeature } from "../features/workflow/feature.ts";
import type { FeatureFactory } from "../actor/feature.ts";
import { RunFeature, runHandlerOf } from "../features/run/feature.ts";

const FEATURES: Record<string, FeatureFactory> = {
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

/** Feature names and factories in one fixed order; an instance keeps its features in this order. */
export const FEATURE_NAMES: readonly string[] = Object.keys(FEATURES);
export const FEATURE_FACTORIES: readonly FeatureFactory[] = Object.values(FEATURES);
