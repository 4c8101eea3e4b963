// What a PostgreSQL driver is opened with, and how the URL and the schema name are checked.

import { errors } from "../../base/errors.ts";

export interface PostgresDriverOptions {
  /** A connection URL, `postgres://user:password@host:port/database`; a `schema` query parameter names the schema. */
  url: string;
  /** The schema that holds Troupe's tables, created when missing. Default: the URL's `schema` parameter, else "troupe". */
  schema?: string;
  /** Connections in the pool. Default 10: one runs the group commit, the others serve reads meanwhile. */
  poolSize?: number;
  /**
   * Disk that the local copies of sleeping actors' databases (`c.db`) may take on this process,
   * least recently used evicted first; an evicted copy is rebuilt from PostgreSQL at the next wake.
   * Default: the URL's `localCacheBytes` parameter, else 1 GiB; 0 keeps none.
   */
  localCacheBytes?: number;
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
const DEFAULT_LOCAL_CACHE_BYTES = 1024 ** 3;
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
  // Troupe's own parameters, which the PostgreSQL client would not know.
  parsed.searchParams.delete("schema");
  parsed.searchParams.delete("localCacheBytes");
  const where = `${parsed.hostname || "localhost"}:${parsed.port || 5432}${parsed.pathname || "/"}`;
  return { url: parsed.href, schema, poolSize, where };
}

/**
 * The disk budget of the local copies of actors' databases. Read apart from the connection's
 * options, and before it: the runtime needs it at once, and a bad value is refused up front.
 */
export function localCacheBytes(options: PostgresDriverOptions): number {
  const param = URL.canParse(options.url) ? new URL(options.url).searchParams.get("localCacheBytes") : null;
  const bytes = options.localCacheBytes ?? (param === null ? DEFAULT_LOCAL_CACHE_BYTES : /^\d+$/.test(param) ? Number(param) : Number.NaN);
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw errors.config(`Invalid PostgreSQL localCacheBytes ${param ?? bytes}: use a whole number of bytes from 0.`);
  }
  return bytes;
}
