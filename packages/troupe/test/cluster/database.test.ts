// `c.db` in a cluster of two nodes in this process: the database moves with its actor when the
// owner's lease lapses (the new owner rebuilds it from the snapshot and log in PostgreSQL), the old
// owner's SQL is fenced and never applied, and a destroy deletes the database's rows.

import { createClient } from "troupe/client";
import { db } from "troupe/db";
import { expect, test } from "vitest";
import { actor, setup } from "../../src/index.ts";
import { COMPACT_AT } from "../../src/runtime/shipped-database.ts";
import { usePostgres } from "../support/postgres.ts";
import { twoNodes } from "./two-nodes-in-process.ts";
import { until } from "../support/until.ts";

const postgres = usePostgres();

const notes = actor({
  db: db({ onMigrate: (tx) => tx.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body BLOB NOT NULL)") }),
  actions: {
    add: async (c, body: string) => {
      await c.db.execute("INSERT INTO notes (body) VALUES (?)", body);
    },
    addBlob: async (c, bytes: number) => {
      await c.db.execute("INSERT INTO notes (body) VALUES (randomblob(?))", bytes);
    },
    texts: async (c) =>
      (await c.db.execute<{ body: string }>("SELECT body FROM notes WHERE typeof(body) = 'text' ORDER BY id")).map((r) => r.body),
    check: async (c) => (await c.db.execute<{ integrity_check: string }>("PRAGMA integrity_check"))[0]?.integrity_check,
    destroy: (c) => c.destroy(),
  },
});

/** Writes its first note in onCreate, before its record is stored. */
const seeded = actor({
  db: db({ onMigrate: (tx) => tx.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)") }),
  onCreate: async (c) => {
    await c.db.execute("INSERT INTO notes (body) VALUES ('seed')");
  },
  actions: {
    texts: async (c) => (await c.db.execute<{ body: string }>("SELECT body FROM notes ORDER BY id")).map((r) => r.body),
  },
});

function node(url: string) {
  return setup({
    use: { notes, seeded },
    storage: { driver: "postgres", url },
    cluster: { leaseMs: 60_000 },
    logging: { level: (process.env.TEST_LOG ?? "silent") as "silent" },
  });
}

const codeOf = (error: { group?: string; code?: string }) => `${error.group}.${error.code}`;

test("acknowledged SQL survives the owner's loss, rebuilt on another node; the old owner's SQL is fenced, not applied", async () => {
  await using nodes = await twoNodes(postgres.server, node);
  const { schema, a, viaA, viaB } = nodes;
  const onA = viaA.notes.getOrCreate(["n"]);
  await onA.add("first");
  // Enough pages for a compaction: what the next owner gets is a snapshot and the log after it.
  for (let i = 0; i < Math.ceil(COMPACT_AT.bytes / 1_000_000); i++) await onA.addBlob(1_000_000);
  await onA.add("second");
  const { rows } = await postgres.server.query<{ snapshot: string; logged: number }>(
    `SELECT h.snapshot, (SELECT count(*)::int FROM "${schema}".actor_db_log) AS logged FROM "${schema}".actor_db_head h`,
  );
  expect(rows).toEqual([{ snapshot: expect.not.stringMatching(/^0$/), logged: 1 }]);

  // A's lease lapses without A knowing: B takes the actor over, its database from PostgreSQL.
  await postgres.server.query(`UPDATE "${schema}".nodes SET expires_at = now() - interval '1 second' WHERE address = $1`, [a.url]);
  const onB = viaB.notes.getOrCreate(["n"]);
  expect(await onB.texts()).toEqual(["first", "second"]);
  expect(await onB.check()).toBe("ok");
  await onB.add("third");

  // A still runs its instance: its SQL commits locally, then the shipment is fenced.
  expect(await onA.add("late").then(() => "acknowledged", codeOf)).toBe("actor.fenced");
  expect(await onB.texts()).toEqual(["first", "second", "third"]);
});

test("destroying an actor deletes its database's rows from PostgreSQL", async () => {
  const schema = postgres.server.newSchema();
  await using a = await node(postgres.server.urlFor(schema)).serve({ port: 0 });
  const client = createClient<ReturnType<typeof node>>(a.url);
  try {
    const handle = client.notes.getOrCreate(["gone"]);
    await handle.add("kept until the destroy");
    const rows = async () =>
      (
        await postgres.server.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM "${schema}".actor_db_head) + (SELECT count(*) FROM "${schema}".actor_db_log)
                + (SELECT count(*) FROM "${schema}".actor_db_pages) AS n`,
        )
      ).rows[0]!.n;
    expect(Number(await rows())).toBeGreaterThan(0);
    await handle.destroy();
    await until("the database's rows to go", async () => Number(await rows()) === 0);
    // The same key starts again with an empty database.
    expect(await client.notes.getOrCreate(["gone"]).texts()).toEqual([]);
  } finally {
    await client.dispose();
  }
});

test("SQL that a creation runs before the actor's record is stored (onCreate) is shipped, and found by the next owner", async () => {
  await using nodes = await twoNodes(postgres.server, node);
  const { schema, a, viaA, viaB } = nodes;
  expect(await viaA.seeded.getOrCreate(["s"]).texts()).toEqual(["seed"]);
  await postgres.server.query(`UPDATE "${schema}".nodes SET expires_at = now() - interval '1 second' WHERE address = $1`, [a.url]);
  expect(await viaB.seeded.getOrCreate(["s"]).texts()).toEqual(["seed"]);
});
