// The inspector's typed errors (their codes are listed in docs/errors.md and docs/inspector.md).

import { defineErrorCodes } from "../base/error-codes.ts";
import { ActorError } from "../base/errors.ts";

export type InspectedFeature = "state" | "database" | "workflow";

export const inspectorErrors = {
  unauthorized: () => new ActorError("inspector", "unauthorized", "The inspector needs its token: send `Authorization: Bearer <token>`."),
  disabled: () =>
    new ActorError(
      "inspector",
      "disabled",
      "The inspector is off: set TROUPE_INSPECTOR_TOKEN (or `inspector: { token }` in setup()), or run `troupe dev`.",
    ),
  invalidRequest: (param: string, message: string) => new ActorError("inspector", "invalid_request", message, { metadata: { param } }),
  notEnabled: (feature: InspectedFeature) =>
    new ActorError("inspector", "not_enabled", `This actor has no ${feature}.`, { metadata: { feature } }),
  notFound: (what: string, id: string | number) =>
    new ActorError("inspector", "not_found", `No ${what} ${JSON.stringify(id)}.`, { metadata: { what, id } }),
  invalidPatch: (index: number, message: string) =>
    new ActorError("inspector", "invalid_patch", `Operation ${index}: ${message}`, { metadata: { index } }),
  patchConflict: (index: number, path: string) =>
    new ActorError(
      "inspector",
      "patch_conflict",
      `Operation ${index}: the value at "${path}" is not the one tested; nothing was changed.`,
      {
        metadata: { index, path },
      },
    ),
};

export const INSPECTOR_ERROR_CODES = defineErrorCodes({
  "inspector.unauthorized": { status: 401, description: "An inspector route was called without the inspector token, or with a wrong one." },
  "inspector.disabled": { status: 404, description: "The inspector is off: no inspector token is configured." },
  "inspector.invalid_request": {
    status: 400,
    description: "An inspector request has a missing, malformed or out-of-range parameter or body; metadata.param names it.",
  },
  "inspector.not_enabled": {
    status: 404,
    description: "The actor does not have what the inspector route reads (state, database or workflow); metadata.feature says which.",
  },
  "inspector.not_found": {
    status: 404,
    description: "No such connection, schedule, cron job, dead letter or KV key on the inspected actor.",
  },
  "inspector.invalid_patch": {
    status: 400,
    description: "A JSON Patch operation sent to the inspector is malformed or its path does not exist; nothing was changed.",
  },
  "inspector.patch_conflict": {
    status: 409,
    description: "A JSON Patch `test` operation failed: the state changed since it was read; nothing was changed.",
  },
});
