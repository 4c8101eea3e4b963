// Error code tables: each code's HTTP status and what it means. The core's codes are here; each
// feature defines its own table beside its errors. docs/errors.md is generated from all of them
// (runtime/error-codes.ts) and a test keeps the two in sync.

export interface ErrorCodeInfo {
  status: number;
  description: string;
}

export type ErrorCodeTable = Readonly<Record<string, ErrorCodeInfo>>;

/** Every code of every table defined so far, by `group.code`. */
const known = new Map<string, ErrorCodeInfo>();

/** Declares a table of codes, so that errors with those codes get their status. */
export function defineErrorCodes<T extends ErrorCodeTable>(table: T): T {
  for (const [code, info] of Object.entries(table)) known.set(code, info);
  return table;
}

/** HTTP status for a `group.code`: known codes from the tables, other user codes 400, the rest 500. */
export function statusFor(group: string, code: string): number {
  const info = known.get(`${group}.${code}`);
  if (info) return info.status;
  return group === "user" ? 400 : 500;
}

export const CORE_ERROR_CODES = defineErrorCodes({
  "actor.not_found": { status: 404, description: "No actor matches the given id, or name and key." },
  "actor.duplicate_key": { status: 400, description: "An actor with this name and key already exists." },
  "actor.key_too_large": {
    status: 400,
    description: "A key has over 32 parts, a part over 128 bytes, or over 1024 bytes in all (each part counting one byte more).",
  },
  "actor.input_too_large": { status: 400, description: "The create input is over 4 MiB once encoded." },
  "actor.invalid_key": { status: 400, description: "The key is not a string or an array of strings." },
  "actor.create_rate_limited": {
    status: 429,
    description: "This client created limits.actorCreatesPerMinute actors in the last minute; retry later. Nothing was created.",
  },
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
  "actor.internal_error": { status: 500, description: "An internal error occurred. Details are in the server log." },
  "actor.handler_not_found": { status: 404, description: "The actor defines no onRequest (or onWebSocket) handler for a raw request." },
  "user.user_error": { status: 400, description: "A UserError thrown by actor code without its own code." },
  "auth.forbidden": { status: 403, description: "The caller is not allowed to do this." },
  "config.invalid": { status: 500, description: "An actor or registry definition is invalid." },
  "storage.error": {
    status: 500,
    description:
      "The storage failed to commit the call's writes: they were not applied, and the actor reloads its last saved state. Retry the call.",
  },
  "storage.busy": {
    status: 503,
    description: "The database stayed locked by another process for 5 s; the call's writes were not applied. Retry it.",
  },
  "storage.locked": { status: 503, description: "Another process owns the SQLite storage file; the message names it." },
  "storage.cannot_open": {
    status: 500,
    description: "The SQLite storage file cannot be opened for writing (permissions, read-only or full file system); the message says why.",
  },
  "storage.unavailable": {
    status: 503,
    description:
      "PostgreSQL could not be reached in time, or the connection to it failed before the call's writes were sent; nothing was applied. Retry the call.",
  },
  "storage.outcome_unknown": {
    status: 503,
    description:
      "The connection to PostgreSQL failed while the call's writes were being committed: they may or may not have been applied. The actor reloads its saved state; read it before retrying a write that must not apply twice.",
  },
  "storage.file_missing": {
    status: 503,
    description: "The SQLite storage file was deleted or replaced while open; no write is accepted until the process restarts.",
  },
  "cluster.owned_elsewhere": {
    status: 503,
    description:
      "Another node of the cluster runs this actor and the call could not be sent there (an in-process call, or the actor moved while the call was forwarded). Retry it.",
  },
  "cluster.owner_unreachable": {
    status: 503,
    description:
      "The node that runs this actor did not answer the forwarded call; once its lease lapses another node takes the actor over. Retry it.",
  },
  "cluster.lease_lost": {
    status: 503,
    description:
      "This node lost its cluster lease (it was paused, or cut off from PostgreSQL, for longer than the lease) and stopped its actors; it rejoins on its own. Retry the call.",
  },
  "message.incoming_too_long": {
    status: 413,
    description: "A request body or WebSocket message is over maxIncomingMessageSize (64 KiB by default).",
  },
  "message.outgoing_too_long": {
    status: 400,
    description: "A response or event is over maxOutgoingMessageSize (1 MiB by default); the call is rejected.",
  },
  "message.unsupported_value": {
    status: 400,
    description:
      "A value breaks the rules for values (docs/values.md): nested over 128 levels, cyclic or shared, or a bigint for a JSON client; metadata.path says where.",
  },
  "message.malformed": { status: 400, description: "A request body or WebSocket message could not be decoded or has the wrong shape." },
  "protocol.unsupported_version": { status: 400, description: "The client speaks a protocol version this server does not." },
  "protocol.unsupported_encoding": { status: 400, description: "The encoding is not json or cbor." },
  "request.not_found": { status: 404, description: "No route matches the request's method and path." },
  "request.too_many_in_flight": {
    status: 429,
    description: "The client has limits.inFlightPerClient HTTP calls unanswered; retry once some have returned. Nothing was run.",
  },
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
    description: "The operation is not available in this mode (e.g. handle.getGatewayUrl() on the in-process client).",
  },
  "registry.shut_down": { status: 503, description: "The registry has been shut down." },
});
