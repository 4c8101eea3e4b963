// Every public error code: the core's, the inspector's, the metrics' and each installed feature's, in one table
// (docs/errors.md is generated from it).

import { CORE_ERROR_CODES, type ErrorCodeInfo } from "../base/error-codes.ts";
import { INSPECTOR_ERROR_CODES } from "../inspector/errors.ts";
import { METRICS_ERROR_CODES } from "../telemetry/errors.ts";
import { FEATURES } from "./features.ts";

export const ERROR_CODES: Readonly<Record<string, ErrorCodeInfo>> = Object.assign(
  {},
  CORE_ERROR_CODES,
  INSPECTOR_ERROR_CODES,
  METRICS_ERROR_CODES,
  ...FEATURES.map((feature) => feature.errorCodes ?? {}),
);
