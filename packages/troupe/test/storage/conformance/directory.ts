// Conformance of the actor directory: create, lookup by id and by whole key, duplicates, listing.

import { beforeEach, expect, it } from "vitest";
import type { ActorRecord, StorageDriver } from "../../../src/storage/driver.ts";
import { type Harness, b, codeOf, record, s } from "./harness.ts";

export function directoryTests(h: Harness): void {
  let driver: StorageDriver;
  beforeEach(() => {
    driver = h.driver;
  });
  const { commitOk, create } = h;

  it("finds a created actor by id and by key, with every field", async () => {
    const created = record("a1", ["room", "1"], "chat", b(1, 2, 3));
    await commitOk({ actorId: "a1", epoch: 1, create: created });
    const expected = { id: "a1", name: "chat", key: ["room", "1"], createdAt: created.createdAt, input: b(1, 2, 3), epoch: 1 };
    expect(await driver.getActorById("a1")).toEqual(expected);
    expect(await driver.getActorByKey("chat", ["room", "1"])).toEqual(expected);
  });

  it("stores the batch's epoch, and no input when none was given", async () => {
    await commitOk({ actorId: "a1", epoch: 0, create: record("a1") });
    const found = await driver.getActorById("a1");
    expect(found?.epoch).toBe(0);
    expect(found?.input).toBeUndefined();
  });

  it("returns undefined for an unknown id or key", async () => {
    await create("a1");
    expect(await driver.getActorById("nope")).toBeUndefined();
    expect(await driver.getActorByKey("counter", ["nope"])).toBeUndefined();
    expect(await driver.getActorByKey("other-name", ["a1"])).toBeUndefined();
  });

  it("matches keys as whole arrays", async () => {
    await create("k1", ["a"]);
    await create("k2", ["a", "b"]);
    await create("k3", ["a,b"]);
    await create("k4", []);
    await create("k5", ['a"', "b"]);
    expect((await driver.getActorByKey("counter", ["a"]))?.id).toBe("k1");
    expect((await driver.getActorByKey("counter", ["a", "b"]))?.id).toBe("k2");
    expect((await driver.getActorByKey("counter", ["a,b"]))?.id).toBe("k3");
    expect((await driver.getActorByKey("counter", []))?.id).toBe("k4");
    expect((await driver.getActorByKey("counter", ['a"', "b"]))?.id).toBe("k5");
    expect(await driver.getActorByKey("counter", ["b"])).toBeUndefined();
    expect(await driver.getActorByKey("counter", ["a", "b", "c"])).toBeUndefined();
  });

  it("keeps the same key apart under different names", async () => {
    await commitOk({ actorId: "x", epoch: 1, create: record("x", ["k"], "one") });
    await commitOk({ actorId: "y", epoch: 1, create: record("y", ["k"], "two") });
    expect((await driver.getActorByKey("one", ["k"]))?.id).toBe("x");
    expect((await driver.getActorByKey("two", ["k"]))?.id).toBe("y");
  });

  it("rejects a duplicate key with actor.duplicate_key and writes nothing of that batch", async () => {
    await create("a1", ["k"], { puts: [[s("x"), s("first")]] });
    const [error] = await driver.commit([
      { actorId: "a2", epoch: 1, create: record("a2", ["k"]), puts: [[s("x"), s("second")]], alarm: 5 },
    ]);
    expect(codeOf(error)).toBe("actor.duplicate_key");
    expect(await driver.getActorById("a2")).toBeUndefined();
    expect((await driver.getActorByKey("counter", ["k"]))?.id).toBe("a1");
    expect(await driver.list("a2")).toEqual([]);
    expect(await driver.nextAlarm()).toBeUndefined();
    expect(await driver.get("a1", [s("x")])).toEqual([s("first")]);
  });

  it("rejects a duplicate id with actor.duplicate_key and keeps the first record", async () => {
    await create("a1", ["k1"]);
    const [error] = await driver.commit([{ actorId: "a1", epoch: 5, create: record("a1", ["k2"], "other") }]);
    expect(codeOf(error)).toBe("actor.duplicate_key");
    expect(await driver.getActorById("a1")).toMatchObject({ name: "counter", key: ["k1"], epoch: 1 });
    expect(await driver.getActorByKey("other", ["k2"])).toBeUndefined();
  });

  it("rejects the second of two creates of one key in the same commit", async () => {
    const results = await driver.commit([
      { actorId: "a1", epoch: 1, create: record("a1", ["k"]) },
      { actorId: "a2", epoch: 1, create: record("a2", ["k"]) },
    ]);
    expect(results.map(codeOf)).toEqual([undefined, "actor.duplicate_key"]);
    expect((await driver.getActorByKey("counter", ["k"]))?.id).toBe("a1");
  });

  it("lists actors in id order, filtered by name, paged with after and limit", async () => {
    for (const id of ["c", "a", "d", "b"]) {
      await commitOk({ actorId: id, epoch: 1, create: record(id, [id], id === "b" ? "other" : "counter") });
    }
    const ids = (records: ActorRecord[]) => records.map((r) => r.id);
    expect(ids(await driver.listActors())).toEqual(["a", "b", "c", "d"]);
    expect(ids(await driver.listActors({ name: "counter" }))).toEqual(["a", "c", "d"]);
    expect(ids(await driver.listActors({ limit: 2 }))).toEqual(["a", "b"]);
    expect(ids(await driver.listActors({ after: "b", limit: 1 }))).toEqual(["c"]);
    expect(ids(await driver.listActors({ name: "counter", after: "a" }))).toEqual(["c", "d"]);
    expect(ids(await driver.listActors({ limit: 0 }))).toEqual([]);
    expect((await driver.listActors({ name: "other" }))[0]).toMatchObject({ id: "b", key: ["b"], epoch: 1 });
  });
}
