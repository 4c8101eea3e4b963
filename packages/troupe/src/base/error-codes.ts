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
  "actor.state_not_serializable": {
    status: 400,
    description: "A value written to state cannot be serialized; the message names the path.",
  },
  "actor.invalid_request": { status: 400, description: "The request is malformed: wrong argument types or shape." },
  "actor.stopping": { status: 503, description: "The actor is shutting down and cannot take this call; retry it." },
  "actor.aborted": { status: 500, description: "The operation was interrupted because the actor is stopping." },
  "actor.fenced": { status: 409, description: "A newer activation of this actor owns its storage; this instance may no longer write." },
  "actor.validation_error": {
    status: 400,
    description: "A value failed its declared schema (a queue message or completion); metadata.issues lists why.",
  },
  "queue.not_found": { status: 404, description: "The actor declares queues, and none with this name." },
  "queue.full": { status: 400, description: "The actor's queues hold maxQueueSize messages (1000 by default); nothing was enqueued." },
  "queue.message_too_large": {
    status: 400,
    description: "The encoded message is over maxQueueMessageSize (64 KiB by default); nothing was enqueued.",
  },
  "queue.invalid_idempotency_key": { status: 400, description: "An idempotency key must be a non-empty string of at most 256 bytes." },
  "queue.timed_out": { status: 408, description: "c.queue.enqueueAndWait: no consumer completed the message in time (it stays queued)." },
  "queue.already_completed": {
    status: 400,
    description: "message.complete() was called on a message already completed or moved to the dead letters.",
  },
  "queue.previous_message_not_completed": {
    status: 400,
    description: "A completable message must be completed before the same action or loop receives another.",
  },
  "queue.dead_lettered": {
    status: 500,
    description: "The message failed maxQueueDeliveries deliveries and was moved to the dead letters; a waiting sender gets this.",
  },
  "schedule.invalid_time": { status: 400, description: "A schedule time or delay is not a finite number of milliseconds." },
  "schedule.invalid_name": { status: 400, description: "A cron job name must be a string of 1 to 128 bytes." },
  "schedule.invalid_cron_expression": {
    status: 400,
    description: "The cron expression is not five valid fields (minute hour day-of-month month day-of-week).",
  },
  "schedule.invalid_timezone": { status: 400, description: "The time zone is not a known IANA name." },
  "schedule.invalid_interval": { status: 400, description: "c.cron.every needs an interval of at least 5000 ms." },
  "schedule.invalid_max_history": { status: 400, description: "maxHistory must be an integer from 0 to 1000." },
  "schedule.max_schedules_exceeded": {
    status: 400,
    description: "The actor has maxSchedules pending schedules and cron jobs (1000 by default).",
  },
  "workflow.nondeterministic": {
    status: 500,
    description:
      "The workflow code no longer matches its recorded history; the message names the entry. The workflow is blocked until the code is fixed.",
  },
  "workflow.duplicate_name": { status: 500, description: "Two workflow entries in the same scope share a name." },
  "workflow.missing_checkpoint": { status: 500, description: "A step with a rollback runs before any ctx.rollbackCheckpoint()." },
  "workflow.invalid_name": { status: 500, description: "A workflow entry name is empty or contains a NUL character." },
  "workflow.invalid_argument": { status: 500, description: "A workflow call got arguments of the wrong shape." },
  "workflow.step_failed": { status: 500, description: "A step failed for good: it threw a CriticalError or used up its retries." },
  "workflow.step_timed_out": { status: 500, description: "A step attempt ran longer than its timeout." },
  "workflow.join_failed": { status: 500, description: "A branch of ctx.join failed; the message names each failed branch." },
  "workflow.rollback_failed": { status: 500, description: "A saga rollback failed after its retries; the workflow stays failed." },
  "workflow.outside_step": { status: 500, description: "The actor's state or c.* was used in workflow code outside a step." },
  "actor.internal_error": { status: 500, description: "An internal error occurred. Details are in the server log." },
  "user.user_error": { status: 400, description: "A UserError thrown by actor code without its own code." },
  "auth.forbidden": { status: 403, description: "The caller is not allowed to do this." },
  "kv.key_too_large": { status: 400, description: "A c.kv key is over maxKvKeySize (2 KiB by default)." },
  "kv.value_too_large": { status: 400, description: "A c.kv value is over maxKvValueSize (128 KiB by default)." },
  "sqlite.not_configured": { status: 500, description: "c.db was used on an actor that declares no `db`." },
  "sqlite.unavailable": {
    status: 500,
    description: "The storage driver keeps no per-actor SQLite databases, so actors with `db` cannot start.",
  },
  "sqlite.closed": { status: 503, description: "The actor's database is closed because the actor stopped; retry the call." },
  "sqlite.migration_failed": {
    status: 500,
    description: "The database migration failed or timed out; it was rolled back and the actor did not start.",
  },
  "sqlite.invalid_bind_parameter": {
    status: 400,
    description: "A SQL parameter is of a type SQLite cannot bind, or the parameters do not match the statement.",
  },
  "sqlite.transaction_expired": { status: 500, description: "A c.db transaction ran longer than its timeout and was rolled back." },
  "sqlite.transaction_closed": {
    status: 500,
    description: "A transaction handle was used after its transaction committed or rolled back.",
  },
  "sqlite.transaction_reentrant": {
    status: 500,
    description: "The outer c.db was used inside its own transaction callback; use the `tx` handle.",
  },
  "sqlite.transaction_queue_full": { status: 503, description: "Too many database calls are waiting behind a transaction." },
  "sqlite.read_only": { status: 400, description: "The query would write; only read-only queries are allowed here." },
  "config.invalid": { status: 500, description: "An actor or registry definition is invalid." },
  "storage.error": { status: 500, description: "The storage driver failed; the write was not acknowledged." },
  "actor.handler_not_found": { status: 404, description: "The actor defines no onRequest (or onWebSocket) handler for a raw request." },
  "message.incoming_too_long": {
    status: 413,
    description: "A request body or WebSocket message is over maxIncomingMessageSize (64 KiB by default).",
  },
  "message.outgoing_too_long": {
    status: 400,
    description: "A response or event is over maxOutgoingMessageSize (1 MiB by default); the call is rejected.",
  },
  "message.malformed": { status: 400, description: "A request body or WebSocket message could not be decoded or has the wrong shape." },
  "protocol.unsupported_version": { status: 400, description: "The client speaks a protocol version this server does not." },
  "protocol.unsupported_encoding": { status: 400, description: "The encoding is not json or cbor." },
  "request.not_found": { status: 404, description: "No route matches the request's method and path." },
  "request.upgrade_required": { status: 426, description: "The route is a WebSocket endpoint; open it with a WebSocket." },
  "client.connection_lost": {
    status: 503,
    description: "Client side: the connection closed before the action's reply came; it may or may not have run.",
  },
  "client.connection_failed": {
    status: 503,
    description: "Client side: the server could not be reached or the connection failed to open.",
  },
  "client.disposed": { status: 499, description: "Client side: the connection was disposed before the call completed." },
  "client.get_params_failed": { status: 400, description: "Client side: getParams threw; the connection retries." },
  "client.malformed_response": { status: 502, description: "Client side: the server's response could not be decoded." },
  "feature.unsupported": {
    status: 501,
    description: "The operation is not available in this mode (e.g. a raw WebSocket on the in-process client).",
  },
  "registry.shut_down": { status: 503, description: "The registry has been shut down." },
} as const satisfies Record<string, ErrorCodeInfo>;

export type KnownErrorCode = keyof typeof ERROR_CODES;

/** HTTP status for a `group.code`: known codes from the table, other user codes 400, the rest 500. */
export function statusFor(group: string, code: string): number {
  const known = (ERROR_CODES as Record<string, ErrorCodeInfo>)[`${group}.${code}`];
  if (known) return known.status;
  return group === "user" ? 400 : 500;
}
