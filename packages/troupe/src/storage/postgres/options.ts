// What a PostgreSQL driver is opened with, and how the URL and the schema name are checked.

import { errors } from "../../base/errors.ts";

export interface PostgresDriverOptions {
  /** A connection URL, `postgres://user:password@host:port/database`; a `schema` query parameter names the schema. */
  url: string;
  /** The schema that holds Troupe's tables, created when missing. Default: the URL's `schema` parameter, else "troupe". */
  schema?: string;
  /** Connections in the pool. Default 10: one runs the group commit, the others serve reads meanwhile. */
  poolSize?: number;
}

export interface ResolvedOptions {
  /** The URL without Troupe's own `schema` parameter, which the PostgreSQL client would not know. */
  url: string;
  schema: string;
  poolSize: number;
  /** Host, port and database, without credentials, for messages. */
  where: string;
}

const DEFAULT_SCHEMA = "troupe";
const DEFAULT_POOL_SIZE = 10;
/** Quoted in SQL, but kept to plain identifiers so that nobody has to quote it by hand. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function resolveOptions(options: PostgresDriverOptions): ResolvedOptions {
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch {
    // Not quoted: the URL may hold a password.
    throw errors.config("The PostgreSQL storage URL is not a valid URL; expected postgres://user:password@host:port/database.");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw errors.config(`The PostgreSQL storage URL must start with postgres:// or postgresql://, not ${parsed.protocol}//.`);
  }
  const schema = options.schema ?? parsed.searchParams.get("schema") ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw errors.config(`Invalid PostgreSQL schema name ${JSON.stringify(schema)}: use letters, digits and "_", at most 63 characters.`);
  }
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw errors.config(`Invalid PostgreSQL poolSize ${poolSize}: use a whole number from 1.`);
  parsed.searchParams.delete("schema");
  const where = `${parsed.hostname || "localhost"}:${parsed.port || 5432}${parsed.pathname || "/"}`;
  return { url: parsed.href, schema, poolSize, where };
}
