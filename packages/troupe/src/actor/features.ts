// Every feature, by name. An instance builds each one that applies to its definition.

import type { FeatureFactory } from "./feature.ts";

export const FEATURES: Record<string, FeatureFactory> = {};
