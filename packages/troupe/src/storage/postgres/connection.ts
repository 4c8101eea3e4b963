// Opens the PostgreSQL driver's connection pool: loads `pg` (an optional peer dependency, imported
// only here and only when PostgreSQL storage is chosen), then brings the schema up to date.

import type { Pool } from "pg";
import { ActorError, errors, isActorError } from "../../base/errors.ts";
import { type PostgresDriverOptions, resolveOptions } from "./options.ts";
import { type Queries, queries } from "./queries.ts";
import { migrate } from "./schema.ts";

export interface Connection {
  pool: Pool;
  sql: Queries;
  schema: string;
}

/** How long a query waits for a free connection, or for a new one to open, before failing. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * PostgreSQL ends a session that stays idle inside a transaction this long, releasing its row
 * locks: a process paused in the middle of a commit must not hold other nodes' claims forever.
 */
const IDLE_IN_TRANSACTION_MS = 30_000;

export async function connect(options: PostgresDriverOptions): Promise<Connection> {
  const { url, schema, poolSize, where } = resolveOptions(options);
  const { Pool } = await loadPg();
  const pool = new Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    keepAlive: true,
    application_name: "troupe",
  });
  // An idle connection that fails (the server restarted) is dropped by the pool; the next query
  // opens a new one or reports the failure. Without a listener the error would end the process.
  pool.on("error", () => {});
  // A client's socket can fail, or the server end the session, while no statement runs on it (as
  // the pool releases it after a failure): the client reports it as an event, which would end the
  // process without a listener. The statement that was running has failed with it already.
  pool.on("connect", (client) => client.on("error", () => {}));
  try {
    const client = await pool.connect();
    try {
      await migrate(client, schema);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    if (isActorError(error)) throw error;
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not open PostgreSQL storage at ${where} (schema ${schema}): ${cause}`, { cause: error });
  }
  return { pool, sql: queries(schema), schema };
}

/**
 * A failure to reach PostgreSQL (a connection that could not open, broke or timed out) before
 * anything that writes was sent, as the typed `storage.unavailable`, which tells the caller nothing
 * was applied; any other error as it is.
 */
export function unavailable(error: unknown): unknown {
  return typedFailure(error, "unavailable", (cause) => `PostgreSQL could not be reached (${cause}); nothing was applied. Retry the call.`);
}

/**
 * A connection that failed once a commit was sent (its single statement, or the COMMIT of its
 * transaction), as the typed `storage.outcome_unknown`: PostgreSQL may have applied it before the
 * connection broke, and nothing can tell; any other error as it is.
 */
export function outcomeUnknown(error: unknown): unknown {
  return typedFailure(
    error,
    "outcome_unknown",
    (cause) =>
      `The connection to PostgreSQL failed while a commit was in flight (${cause}); its writes may or may not have been applied. The actor reloads its saved state: read it before retrying a write that must not apply twice.`,
  );
}

/** `error` as the storage error `code` when it is a connection's failure; any other error as it is. */
function typedFailure(error: unknown, code: "unavailable" | "outcome_unknown", message: (cause: string) => string): unknown {
  if (!connectionFailed(error)) return error;
  return new ActorError("storage", code, message((error as Error).message), { cause: error });
}

function connectionFailed(error: unknown): boolean {
  if (!(error instanceof Error) || isActorError(error)) return false;
  // An error the server sent: only its connection and shutdown classes, and "too many connections".
  if ("severity" in error) {
    const code = String((error as { code?: unknown }).code ?? "");
    return code.startsWith("08") || code.startsWith("57P") || code === "53300";
  }
  // A programming error is not the network's.
  return !(error instanceof TypeError || error instanceof RangeError);
}

export async function loadPg(): Promise<typeof import("pg")> {
  try {
    return await import("pg");
  } catch (error) {
    throw errors.config(`PostgreSQL storage needs the "pg" package: npm install pg (${error instanceof Error ? error.message : error}).`);
  }
}
