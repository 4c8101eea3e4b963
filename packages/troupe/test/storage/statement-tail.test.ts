// Telling one SQL statement from several, for the bindings that compile the first and drop the rest.

import { expect, test } from "vitest";
import { hasSeveralStatements } from "../../src/storage/sqlite/statement-tail.ts";

test("one statement, with or without trailing semicolons, blanks and comments", () => {
  for (const sql of [
    "SELECT 1",
    "SELECT 1;",
    "SELECT 1; ;; \n",
    "SELECT 1; -- a comment; SELECT 2",
    "SELECT 1; /* SELECT 2; */",
    "SELECT ';' AS a, \"b;\" AS [c;], `d;` FROM t",
    "SELECT 'it''s; fine'",
    "-- leading; comment\nSELECT 1",
    "CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE y SET n = n + 1; DELETE FROM z; END;",
    "create temp trigger t after insert on x begin select 1; end",
  ]) {
    expect(hasSeveralStatements(sql), sql).toBe(false);
  }
});

test("several statements", () => {
  for (const sql of [
    "SELECT 1; SELECT 2",
    "SELECT ';'; SELECT 2",
    "INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);",
    "SELECT 1; /* c */ SELECT 2",
    "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END; SELECT 2",
  ]) {
    expect(hasSeveralStatements(sql), sql).toBe(true);
  }
});
