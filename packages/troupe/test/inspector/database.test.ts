// The database through the inspector: tables, rows page by page, read-only queries.

import { expect, test } from "vitest";
import { serveInspected } from "./fixtures.ts";

test("tables, rows and read-only queries; writes are refused and change nothing", async () => {
  await using served = await serveInspected();
  const handle = served.client.crm.getOrCreate(["c"]);
  await handle.seed();
  const id = await handle.resolve();
  await served.sleep(id);

  const tables = await served.api("GET", `/actors/${id}/db/tables`);
  expect(tables.status).toBe(200);
  expect((tables.body.tables as Array<{ table: unknown; records: number }>).map((t) => [t.table, t.records])).toEqual([
    [{ schema: "main", name: "names", type: "view" }, 3],
    [{ schema: "main", name: "people", type: "table" }, 3],
  ]);
  expect(served.host.instances.has(id)).toBe(true); // the database is open only while the actor is awake

  expect((await served.api("GET", `/actors/${id}/db/tables/people/rows?limit=1&offset=0`)).body).toEqual({
    rows: [{ id: 1, name: "Ada", photo: { $troupe: "bytes", base64: "AQI=" } }],
    limit: 1,
    offset: 0,
  });
  expect((await served.api("GET", `/actors/${id}/db/tables/people/rows?offset=2`)).body.rows).toEqual([{ id: 3, name: "Cy", photo: null }]);
  expect((await served.api("GET", `/actors/${id}/db/tables/nope/rows`)).body.rows).toEqual([]);
  expect(await served.api("GET", `/actors/${id}/db/tables/people/rows?limit=-1`)).toMatchObject({
    status: 400,
    body: { metadata: { param: "limit" } },
  });

  const query = (body: unknown) => served.api("POST", `/actors/${id}/db/query`, { body });
  expect((await query({ sql: "SELECT name FROM people WHERE id = ?", args: [2] })).body).toEqual({ rows: [{ name: "Bob" }] });
  expect((await query({ sql: "SELECT name FROM people WHERE id = :id", args: { id: 3 } })).body).toEqual({ rows: [{ name: "Cy" }] });
  expect((await query({ sql: "SELECT 9007199254740993 AS big" })).status).toBe(200);
  for (const sql of ["DELETE FROM people", "UPDATE people SET name = 'x'", "DROP TABLE people", "SELECT 1; DELETE FROM people"]) {
    expect(await query({ sql }), sql).toMatchObject({ status: 400, body: { group: "sqlite", code: "read_only" } });
  }
  expect(await query({ sql: "" })).toMatchObject({ status: 400, body: { metadata: { param: "sql" } } });
  expect(await query({ sql: "SELECT 1", args: "x" })).toMatchObject({ status: 400, body: { metadata: { param: "args" } } });
  expect(await handle.count()).toBe(3);

  const counter = await served.id("counter", ["c"]);
  expect(await served.api("GET", `/actors/${counter}/db/tables`)).toMatchObject({
    status: 404,
    body: { metadata: { feature: "database" } },
  });
});
