// The one error family of Troupe: every error a caller sees has a stable `group.code`.

import { statusFor } from "./error-codes.ts";

export const INTERNAL_ERROR_MESSAGE = "An internal error occurred";

export interface ActorErrorOptions {
  metadata?: unknown;
  /** Public errors keep their group, code, message and metadata when they reach a client. */
  public?: boolean;
  cause?: unknown;
}

export class ActorError extends Error {
  override name = "ActorError";
  readonly group: string;
  readonly code: string;
  readonly metadata: unknown;
  readonly public: boolean;

  constructor(group: string, code: string, message: string, options: ActorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.group = group;
    this.code = code;
    this.metadata = options.metadata;
    this.public = options.public ?? true;
  }

  get statusCode(): number {
    return statusFor(this.group, this.code);
  }

  /** The plain shape sent over the wire. */
  toJSON(): { group: string; code: string; message: string; metadata: unknown } {
    return { group: this.group, code: this.code, message: this.message, metadata: this.metadata };
  }
}

export interface UserErrorOptions {
  code?: string;
  metadata?: unknown;
  cause?: unknown;
}

/** An error meant for the caller: its message, code and metadata reach the client as they are. */
export class UserError extends ActorError {
  override name = "UserError";
  constructor(message: string, options: UserErrorOptions = {}) {
    super("user", options.code ?? "user_error", message, { metadata: options.metadata, cause: options.cause });
  }
}

export function isActorError(value: unknown): value is ActorError {
  return value instanceof ActorError;
}

/** Whether `error` is an ActorError with this group and code. */
export function isErrorCode(error: unknown, group: string, code: string): boolean {
  return isActorError(error) && error.group === group && error.code === code;
}

/**
 * What a caller may see of any thrown value: public ActorErrors as they are,
 * everything else as `actor.internal_error` with a generic message.
 */
export function toPublicError(error: unknown): ActorError {
  if (isActorError(error) && error.public) return error;
  return new ActorError("actor", "internal_error", INTERNAL_ERROR_MESSAGE);
}

export const errors = {
  notFound: (what: string) => new ActorError("actor", "not_found", `Actor not found: ${what}.`),
  duplicateKey: (name: string, key: readonly string[]) =>
    new ActorError("actor", "duplicate_key", `An actor "${name}" with key ${JSON.stringify(key)} already exists.`, {
      metadata: { name, key },
    }),
  actionNotFound: (name: string) =>
    new ActorError("actor", "action_not_found", `Action not found: "${name}".`, { metadata: { action: name } }),
  actionTimedOut: (name: string, ms: number) =>
    new ActorError("actor", "action_timed_out", `Action timed out: "${name}" ran longer than ${ms} ms.`, {
      metadata: { action: name, timeoutMs: ms },
    }),
  invalidRequest: (message: string) => new ActorError("actor", "invalid_request", message),
  stopping: () => new ActorError("actor", "stopping", "The actor is stopping; retry the call."),
  aborted: () => new ActorError("actor", "aborted", "The operation was aborted because the actor is stopping."),
  forbidden: (message = "Forbidden.") => new ActorError("auth", "forbidden", message),
  config: (message: string) => new ActorError("config", "invalid", message),
};

/** Helper matching RivetKit's `forbiddenError()`. */
export function forbiddenError(message?: string): ActorError {
  return errors.forbidden(message);
}
