// The errors of `c.db`, all in the "sqlite" group as in RivetKit.

import { defineErrorCodes } from "../../base/error-codes.ts";
import { ActorError } from "../../base/errors.ts";

export const dbErrors = {
  notConfigured: () =>
    new ActorError("sqlite", "not_configured", "This actor has no database: declare `db: db({...})` (from troupe/db) to use c.db.", {
      public: false,
    }),
  unavailable: () =>
    new ActorError(
      "sqlite",
      "unavailable",
      "The storage in use keeps no per-actor SQLite databases, so an actor with a `db` cannot start. Use the SQLite, PostgreSQL or memory storage.",
      { public: false },
    ),
  closed: () => new ActorError("sqlite", "closed", "The actor's database is closed because the actor stopped; retry the call."),
  migrationFailed: (actor: string, cause: unknown) =>
    new ActorError(
      "sqlite",
      "migration_failed",
      `The database migration of actor "${actor}" failed, so the actor did not start; the migration was rolled back and the database is unchanged. The cause: ${cause instanceof Error ? cause.message : String(cause)}`,
      { metadata: { actor }, cause },
    ),
  invalidBind: (message: string, cause?: unknown) => new ActorError("sqlite", "invalid_bind_parameter", message, { public: false, cause }),
  expired: (ms: number) =>
    new ActorError("sqlite", "transaction_expired", `The transaction expired after ${ms} ms and was rolled back.`, {
      public: false,
      metadata: { timeoutMs: ms },
    }),
  finished: (how: "committed" | "rolled back") =>
    new ActorError("sqlite", "transaction_closed", `This transaction is already ${how}; its handle can no longer be used.`, {
      public: false,
    }),
  reentrant: () =>
    new ActorError(
      "sqlite",
      "transaction_reentrant",
      "The outer database was used inside its own transaction callback. Use the `tx` handle passed to the callback (tx.execute, tx.transaction for a nested transaction): the outer `db` waits for the transaction to end, so it would never run.",
      { public: false },
    ),
  queueFull: (limit: number) =>
    new ActorError("sqlite", "transaction_queue_full", `More than ${limit} database calls are waiting behind a transaction.`, {
      metadata: { limit },
    }),
  commitTooLarge: (bytes: number, limit: number) =>
    new ActorError(
      "sqlite",
      "commit_too_large",
      `One commit changed ${bytes} bytes of database pages; at most ${limit} can be made durable at once in cluster mode. The commit was not kept: split the work into smaller transactions.`,
      { metadata: { bytes, limit } },
    ),
  readOnly: () =>
    new ActorError("sqlite", "read_only", "Only a single read-only statement (SELECT, WITH, VALUES or EXPLAIN) may run here."),
};

/** The codes of these errors, with their HTTP status. */
export const DB_ERROR_CODES = defineErrorCodes({
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
  "sqlite.commit_too_large": {
    status: 413,
    description: "In cluster mode, one commit changed more database pages than can be shipped at once; it was not kept.",
  },
  "sqlite.read_only": { status: 400, description: "The query would write; only read-only queries are allowed here." },
});
