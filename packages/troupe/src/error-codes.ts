// The table of every public error code: its HTTP status and what it means.
// docs/errors.md is generated from this table and a test keeps the two in sync.

export interface ErrorCodeInfo {
  status: number;
  description: string;
}

export const ERROR_CODES = {
  "actor.not_found": { status: 404, description: "No actor matches the given id, or name and key." },
  "actor.duplicate_key": { status: 400, description: "An actor with this name and key already exists." },
  "actor.key_too_large": { status: 400, description: "A key part is over 128 bytes or the whole key is over 1024 bytes." },
  "actor.input_too_large": { status: 400, description: "The create input is over 4 MiB once encoded." },
  "actor.invalid_key": { status: 400, description: "The key is not a string or an array of strings." },
  "actor.not_registered": { status: 404, description: "No actor of that name is registered in the registry." },
  "actor.action_not_found": { status: 404, description: "The actor has no action with that name." },
  "actor.action_timed_out": { status: 408, description: "The action ran longer than the actor's actionTimeout." },
  "actor.callback_timed_out": { status: 408, description: "A connection hook ran longer than its timeout." },
  "actor.state_not_enabled": { status: 500, description: "c.state was used on an actor that defines no state." },
  "actor.state_mutation_reentrant": { status: 500, description: "onStateChange tried to write c.state." },
  "actor.state_not_serializable": { status: 400, description: "A value written to state cannot be serialized; the message names the path." },
  "actor.invalid_request": { status: 400, description: "The request is malformed: wrong argument types or shape." },
  "actor.stopping": { status: 503, description: "The actor is shutting down and cannot take this call; retry it." },
  "actor.aborted": { status: 500, description: "The operation was interrupted because the actor is stopping." },
  "actor.fenced": { status: 409, description: "A newer activation of this actor owns its storage; this instance may no longer write." },
  "actor.internal_error": { status: 500, description: "An internal error occurred. Details are in the server log." },
  "user.user_error": { status: 400, description: "A UserError thrown by actor code without its own code." },
  "auth.forbidden": { status: 403, description: "The caller is not allowed to do this." },
  "config.invalid": { status: 500, description: "An actor or registry definition is invalid." },
  "storage.error": { status: 500, description: "The storage driver failed; the write was not acknowledged." },
  "registry.shut_down": { status: 503, description: "The registry has been shut down." },
} as const satisfies Record<string, ErrorCodeInfo>;

export type KnownErrorCode = keyof typeof ERROR_CODES;

/** HTTP status for a `group.code`: known codes from the table, other user codes 400, the rest 500. */
export function statusFor(group: string, code: string): number {
  const known = (ERROR_CODES as Record<string, ErrorCodeInfo>)[`${group}.${code}`];
  if (known) return known.status;
  return group === "user" ? 400 : 500;
}
