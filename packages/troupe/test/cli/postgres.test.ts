// `troupe start --storage`: a server keeps its actors in PostgreSQL (or in the SQLite file named),
// across restarts, without a cluster.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "troupe/client";
import { afterEach, expect, test } from "vitest";
import { usePostgres } from "../support/postgres.ts";
import { CliProcess } from "./cli-process.ts";
import type { registry } from "./ledger-registry.ts";

const LEDGER = fileURLToPath(new URL("./ledger-registry.ts", import.meta.url));
const postgres = usePostgres();

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "troupe-cli-pg-"));
  dirs.push(dir);
  return dir;
}

/** Adds `numbers` to the ledger `key` of a running CLI, then stops it with SIGTERM. */
async function addThenStop(cli: CliProcess, key: string, numbers: number[]): Promise<void> {
  const client = createClient<typeof registry>(await cli.url());
  for (const n of numbers) await client.ledger.getOrCreate([key]).add(n);
  await client.dispose();
  cli.child.kill("SIGTERM");
  expect(await cli.exited).toBe(0);
}

async function entriesOf(cli: CliProcess, key: string): Promise<number[]> {
  const client = createClient<typeof registry>(await cli.url());
  const entries = await client.ledger.getOrCreate([key]).entries();
  await client.dispose();
  return entries;
}

test("start --storage postgres://… keeps state in PostgreSQL across a restart, and nothing on disk", async () => {
  const { server } = postgres;
  const schema = server.newSchema();
  const dir = tempDir();
  await using first = new CliProcess(["start", LEDGER, "--port", "0", "--storage", server.urlFor(schema)], dir);
  await addThenStop(first, "pg", [1, 2, 3]);
  const { rows } = await server.query<{ name: string; key: string }>(`SELECT name, key FROM "${schema}".actors`);
  expect(rows).toEqual([{ name: "ledger", key: '["pg"]' }]);

  // The environment variable does the same as the flag.
  await using second = new CliProcess(["start", LEDGER, "--port", "0"], dir, { TROUPE_STORAGE_URL: server.urlFor(schema) });
  expect(await entriesOf(second, "pg")).toEqual([1, 2, 3]);
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);
  expect(existsSync(join(dir, ".troupe")), "a SQLite folder in the working directory").toBe(false);
  await server.dropSchema(schema);
});

test("start --storage sqlite:<path> and a plain path use that SQLite file", async () => {
  const dir = tempDir();
  await using first = new CliProcess(["start", LEDGER, "--port", "0", "--storage", "sqlite:./data/ledger.db"], dir);
  await addThenStop(first, "file", [7]);
  expect(existsSync(join(dir, "data", "ledger.db"))).toBe(true);
  await using second = new CliProcess(["start", LEDGER, "--port", "0", "--storage", join(dir, "data", "ledger.db")], dir);
  expect(await entriesOf(second, "file")).toEqual([7]);
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);
  expect(existsSync(join(dir, ".troupe"))).toBe(false);
});

test("start fails at once, with the reason, on unknown storage or an unreachable PostgreSQL", async () => {
  const dir = tempDir();
  await using unknown = new CliProcess(["start", LEDGER, "--storage", "mysql://localhost/db"], dir);
  expect(await unknown.exited).toBe(1);
  expect(unknown.output.join("\n")).toContain('Unknown storage "mysql://localhost/db"');
  expect(unknown.output.join("\n")).toContain("--storage <url>");

  await using unreachable = new CliProcess(["start", LEDGER, "--port", "0", "--storage", "postgres://troupe:secret@127.0.0.1:1/db"], dir);
  expect(await unreachable.exited).toBe(1);
  const output = unreachable.output.join("\n");
  expect(output).toContain("Could not open PostgreSQL storage at 127.0.0.1:1/db");
  expect(output).not.toContain("listening");
  expect(output, "the password stays out of messages").not.toContain("secret");
});
