// Conformance of destroy: it removes everything of an actor and frees its key.

import { beforeEach, expect, it } from "vitest";
import type { StorageDriver } from "../../../src/storage/driver.ts";
import { type Harness, b, codeOf, s } from "./harness.ts";

export function destroyTests(h: Harness): void {
  let driver: StorageDriver;
  beforeEach(() => {
    driver = h.driver;
  });
  const { commitOk, create } = h;

  it("removes the record, every key and the alarm, and frees the key", async () => {
    await create("a", ["room"], {
      puts: [
        [s("x"), s("1")],
        [b(0xff), s("2")],
      ],
      alarm: 10,
    });
    await commitOk({ actorId: "a", epoch: 1, destroy: true, puts: [[s("late"), s("write")]], alarm: 20 });
    expect(await driver.getActorById("a")).toBeUndefined();
    expect(await driver.getActorByKey("counter", ["room"])).toBeUndefined();
    expect(await driver.list("a")).toEqual([]);
    expect(await driver.nextAlarm()).toBeUndefined();
    expect(await driver.listActors()).toEqual([]);

    await create("a2", ["room"]);
    expect((await driver.getActorByKey("counter", ["room"]))?.id).toBe("a2");
    expect(await driver.list("a2")).toEqual([]);
  });

  it("fences the destroyed actor's later writes", async () => {
    await create("a");
    await commitOk({ actorId: "a", epoch: 1, destroy: true });
    const results = await driver.commit([
      { actorId: "a", epoch: 1, puts: [[s("k"), s("v")]] },
      { actorId: "a", epoch: 2, claim: true },
    ]);
    expect(results.map(codeOf)).toEqual(["actor.fenced", "actor.fenced"]);
    expect(await driver.list("a")).toEqual([]);
  });

  it("lets the id be used again by a new create", async () => {
    await create("a", ["one"], { puts: [[s("k"), s("old")]] });
    await commitOk({ actorId: "a", epoch: 1, destroy: true });
    await create("a", ["two"]);
    expect(await driver.getActorById("a")).toMatchObject({ key: ["two"] });
    expect(await driver.get("a", [s("k")])).toEqual([undefined]);
  });
}
