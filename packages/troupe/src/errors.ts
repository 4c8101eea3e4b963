// `troupe/errors`: the error family and RivetKit's names for it, for apps that import them from
// `rivetkit/errors`. Browser-safe.

import { ActorError, errors, INTERNAL_ERROR_MESSAGE, isErrorCode, toPublicError } from "./base/errors.ts";

export {
  ActorError,
  type ActorErrorOptions,
  forbiddenError,
  isActorError,
  isErrorCode,
  UserError,
  type UserErrorOptions,
} from "./base/errors.ts";

/** RivetKit's name for ActorError. */
export const RivetError = ActorError;
export type RivetError = ActorError;

/** The code and message every non-public error reaches a client with. */
export const INTERNAL_ERROR_CODE = "internal_error";
export const INTERNAL_ERROR_DESCRIPTION = INTERNAL_ERROR_MESSAGE;

/** Whether `error` is an ActorError with this group and code (RivetKit's name for isErrorCode). */
export const isRivetErrorCode = isErrorCode;

/** What a client would see of `error`: public errors as they are, anything else as `actor.internal_error`. */
export const toRivetError = toPublicError;

/** Whether `error` is `actor.aborted` (a queue wait or a step cut off because the actor is stopping). */
export function isActorAbortedError(error: unknown): boolean {
  return isErrorCode(error, "actor", "aborted");
}

export const actorNotFound = (what = "the actor"): ActorError => errors.notFound(what);
export const actorStopping = (): ActorError => errors.stopping();
export const invalidRequest = (message = "Invalid request."): ActorError => errors.invalidRequest(message);
