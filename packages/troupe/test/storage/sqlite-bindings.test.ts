// Every SQLite binding this runtime can load runs the storage driver conformance suite and the
// connection contract. Under Node 20 that is better-sqlite3; test/runtimes/ runs this same file
// under Bun (bun:sqlite, node:sqlite) and Deno (node:sqlite).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SeveralStatementsError, SqliteBindError, SqliteBusyError, type SqliteConnection } from "../../src/storage/sqlite-connection.ts";
import { bindingAvailable, openConnection, SQLITE_BINDINGS } from "../../src/storage/sqlite/binding.ts";
import { SqliteDriver } from "../../src/storage/sqlite/driver.ts";
import { describeDriverConformance } from "./conformance.ts";

for (const binding of SQLITE_BINDINGS) {
  // A binding the runtime cannot load (bun:sqlite outside Bun, node:sqlite on Node 20) is run by
  // test/runtimes/, which starts this file under the runtimes that have it.
  describe.skipIf(!bindingAvailable(binding))(`SQLite binding ${binding}`, () => {
    describeDriverConformance(`sqlite through ${binding}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "troupe-binding-"));
      const driver = new SqliteDriver({ path: join(dir, "troupe.db"), binding });
      return {
        driver,
        async cleanup() {
          await driver.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    });

    describe("connection contract", () => {
      const opened: SqliteConnection[] = [];
      const open = (path = ":memory:") => {
        const connection = openConnection(path, binding);
        opened.push(connection);
        connection.exec("PRAGMA busy_timeout = 0");
        return connection;
      };
      afterEach(() => {
        for (const connection of opened.splice(0)) connection.close();
      });

      it("prepares one statement and refuses a string of several", () => {
        const db = open();
        db.exec("CREATE TABLE t (a)");
        expect(() => db.prepare("SELECT 1; SELECT 2")).toThrow(SeveralStatementsError);
        expect(db.prepare("SELECT ';' AS s; -- a comment\n;").get()).toEqual({ s: ";" });
        db.prepare("CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;").run();
        expect(() => db.prepare("CREATE TRIGGER t2 AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 3")).toThrow(SeveralStatementsError);
      });

      it("binds positional and named parameters and returns blobs as bytes", () => {
        const db = open();
        db.exec("CREATE TABLE t (a, b)");
        expect(db.prepare("INSERT INTO t VALUES (?, ?)").run(1, new Uint8Array([1, 2])).changes).toBe(1);
        db.prepare("INSERT INTO t VALUES (:a, :b)").run({ a: 2, b: "two" });
        // Bindings return BLOBs as Uint8Array or Buffer (a Uint8Array too): compared as byte lists.
        const plain = (value: unknown) => (value instanceof Uint8Array ? { bytes: [...value] } : value);
        const rows = db.prepare<{ a: number; b: unknown }>("SELECT a, b FROM t ORDER BY a").all();
        expect(rows.map((r) => ({ a: r.a, b: plain(r.b) }))).toEqual([
          { a: 1, b: { bytes: [1, 2] } },
          { a: 2, b: "two" },
        ]);
        expect(rows[0]!.b).toBeInstanceOf(Uint8Array);
        expect(
          db
            .prepare("SELECT b, a FROM t ORDER BY a")
            .values()
            .map((row) => row.map(plain)),
        ).toEqual([
          [{ bytes: [1, 2] }, 1],
          ["two", 2],
        ]);
        expect(db.prepare("SELECT a FROM t WHERE a = ?").get(99)).toBeUndefined();
      });

      it("reports values it cannot bind as SqliteBindError", () => {
        const db = open();
        db.exec("CREATE TABLE t (a, b)");
        const insert = db.prepare("INSERT INTO t VALUES (?, ?)");
        expect(() => insert.run(1, {} as unknown as string)).toThrow(SqliteBindError);
        expect(() => insert.run(1, 2, 3)).toThrow(SqliteBindError);
        expect(db.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 0 });
      });

      it("tells readers and read-only statements apart", () => {
        const db = open();
        db.exec("CREATE TABLE t (a)");
        const flags = (sql: string) => {
          const statement = db.prepare(sql);
          return { reader: statement.reader, readonly: statement.readonly };
        };
        expect(flags("SELECT a FROM t")).toEqual({ reader: true, readonly: true });
        expect(flags("INSERT INTO t VALUES (1)")).toEqual({ reader: false, readonly: false });
        expect(flags("INSERT INTO t VALUES (1) RETURNING a")).toEqual({ reader: true, readonly: false });
        expect(flags("DELETE FROM t")).toEqual({ reader: false, readonly: false });
      });

      it("commits a transaction, rolls it back when its function throws, and says whether one is open", () => {
        const db = open();
        db.exec("CREATE TABLE t (a)");
        db.transaction(() => {
          expect(db.inTransaction).toBe(true);
          db.prepare("INSERT INTO t VALUES (1)").run();
        });
        expect(() =>
          db.transaction(() => {
            db.prepare("INSERT INTO t VALUES (2)").run();
            throw new Error("no");
          }),
        ).toThrow("no");
        expect(db.inTransaction).toBe(false);
        expect(db.prepare("SELECT a FROM t").values()).toEqual([[1]]);
      });

      it("fails at once with SqliteBusyError on a lock another connection holds", () => {
        const dir = mkdtempSync(join(tmpdir(), "troupe-binding-busy-"));
        try {
          const path = join(dir, "busy.db");
          const first = open(path);
          first.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (a)");
          const second = open(path);
          first.exec("BEGIN IMMEDIATE");
          expect(() => second.transaction(() => second.prepare("INSERT INTO t VALUES (1)").run())).toThrow(SqliteBusyError);
          first.exec("ROLLBACK");
          second.transaction(() => second.prepare("INSERT INTO t VALUES (1)").run());
          first.close();
          second.close();
          expect(first.open).toBe(false);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });
  });
}
