// Conformance of the per-actor SQLite databases behind `c.db` (StorageDriver.actorDatabase).

import { expect, it } from "vitest";
import type { ActorDatabaseStore } from "../../../src/storage/driver.ts";
import type { Harness } from "./harness.ts";

export function actorDatabaseTests(h: Harness): void {
  const store = (actorId: string): ActorDatabaseStore => {
    const open = h.driver.actorDatabase?.bind(h.driver);
    if (open === undefined) throw new Error(`the ${h.driver.kind} driver keeps no actor databases`);
    return open(actorId);
  };
  const count = (db: ReturnType<ActorDatabaseStore["open"]>) => (db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n;

  it("keeps a database's data from one open to the next", () => {
    const s = store("a");
    const first = s.open();
    first.exec("CREATE TABLE t (x)");
    first.prepare("INSERT INTO t VALUES (?)").run(1);
    first.transaction(() => first.prepare("INSERT INTO t VALUES (?)").run(2))();
    s.close(first);
    const second = s.open();
    expect(count(second)).toBe(2);
    s.close(second);
  });

  it("gives every actor a database of its own", () => {
    const a = store("a").open();
    const ab = store("ab").open();
    a.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    expect(ab.prepare("SELECT name FROM sqlite_schema").all()).toEqual([]);
    store("a").close(a);
    store("ab").close(ab);
  });

  it("remove deletes the database: the next open starts empty", () => {
    const s = store("a");
    const db = s.open();
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    s.close(db);
    s.remove();
    const again = s.open();
    expect(again.prepare("SELECT name FROM sqlite_schema").all()).toEqual([]);
    s.close(again);
    // Removing what does not exist is not an error.
    s.remove();
    store("never-opened").remove();
  });
}
