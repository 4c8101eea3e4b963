// The composition root's list of features: every actor defined with `actor()` from "troupe" gets
// these, in this order (an instance builds and starts its features in it).

import type { FeaturePlugin } from "../actor/feature.ts";
import { dbFeature } from "../features/db/plugin.ts";
import { kvFeature } from "../features/kv/plugin.ts";
import { queueFeature } from "../features/queue/plugin.ts";
import { runFeature } from "../features/run/plugin.ts";
import { scheduleFeature } from "../features/schedule/plugin.ts";
import { workflowFeature } from "../features/workflow/plugin.ts";
import { actorClientFeature } from "./actor-client.ts";

export const FEATURES: readonly FeaturePlugin[] = [
  // First, so that every other feature's start finds the database migrated.
  dbFeature,
  queueFeature,
  scheduleFeature,
  runFeature,
  workflowFeature,
  kvFeature,
  actorClientFeature,
];
