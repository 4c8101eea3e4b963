// The metrics endpoint's typed errors (listed in docs/errors.md).

import { defineErrorCodes } from "../base/error-codes.ts";
import { ActorError } from "../base/errors.ts";

export const metricsErrors = {
  unauthorized: () =>
    new ActorError("metrics", "unauthorized", "The metrics endpoint needs its token: send `Authorization: Bearer <token>`."),
  disabled: () =>
    new ActorError(
      "metrics",
      "disabled",
      "Metrics are off: set TROUPE_METRICS_TOKEN (or TROUPE_METRICS=1 on a private network, or `metrics` in setup()), or run `troupe dev`.",
    ),
};

export const METRICS_ERROR_CODES = defineErrorCodes({
  "metrics.unauthorized": { status: 401, description: "GET /metrics was called without the metrics token, or with a wrong one." },
  "metrics.disabled": { status: 404, description: "GET /metrics was called while metrics are off." },
});
