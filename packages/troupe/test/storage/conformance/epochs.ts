// Conformance of fencing: each batch's epoch check, and that a rejected batch leaves the rest of
// its commit alone.

import { beforeEach, expect, it } from "vitest";
import type { StorageDriver } from "../../../src/storage/driver.ts";
import { type Harness, codeOf, entries, hex, record, s } from "./harness.ts";

export function epochTests(h: Harness): void {
  let driver: StorageDriver;
  beforeEach(() => {
    driver = h.driver;
  });
  const { commitOk, create, put } = h;

  it("lets a claim move the epoch from epoch - 1 only", async () => {
    await commitOk({ actorId: "a", epoch: 0, create: record("a") });
    await commitOk({ actorId: "a", epoch: 1, claim: true });
    expect((await driver.getActorById("a"))?.epoch).toBe(1);
    await commitOk({ actorId: "a", epoch: 2, claim: true });
    expect((await driver.getActorById("a"))?.epoch).toBe(2);

    const results = await driver.commit([
      { actorId: "a", epoch: 2, claim: true },
      { actorId: "a", epoch: 4, claim: true },
      { actorId: "a", epoch: 1, claim: true },
    ]);
    expect(results.map(codeOf)).toEqual(["actor.fenced", "actor.fenced", "actor.fenced"]);
    expect((await driver.getActorById("a"))?.epoch).toBe(2);
  });

  it("accepts writes at the stored epoch", async () => {
    await create("a");
    await put("a", [[s("k"), s("v")]], 1);
    expect(await driver.get("a", [s("k")])).toEqual([s("v")]);
  });

  it("rejects a stale epoch with actor.fenced and writes nothing", async () => {
    await create("a", ["a"], {
      puts: [
        [s("keep"), s("1")],
        [s("gone"), s("2")],
      ],
      alarm: 100,
    });
    await commitOk({ actorId: "a", epoch: 2, claim: true });
    const [error] = await driver.commit([
      {
        actorId: "a",
        epoch: 1,
        puts: [
          [s("new"), s("x")],
          [s("keep"), s("changed")],
        ],
        deletes: [s("gone")],
        deleteRanges: [[s("a"), s("z")]],
        alarm: null,
      },
    ]);
    expect(codeOf(error)).toBe("actor.fenced");
    expect(entries(await driver.list("a"))).toEqual([`${hex(s("gone"))}=${hex(s("2"))}`, `${hex(s("keep"))}=${hex(s("1"))}`]);
    expect(await driver.nextAlarm()).toBe(100);
    expect((await driver.getActorById("a"))?.epoch).toBe(2);
  });

  it("rejects a stale destroy and keeps the actor", async () => {
    await create("a", ["a"], { puts: [[s("k"), s("v")]] });
    await commitOk({ actorId: "a", epoch: 2, claim: true });
    const [error] = await driver.commit([{ actorId: "a", epoch: 1, destroy: true }]);
    expect(codeOf(error)).toBe("actor.fenced");
    expect((await driver.getActorByKey("counter", ["a"]))?.id).toBe("a");
    expect(await driver.get("a", [s("k")])).toEqual([s("v")]);
  });

  it("rejects an epoch ahead of the stored one without a claim", async () => {
    await create("a");
    const [error] = await driver.commit([{ actorId: "a", epoch: 2, puts: [[s("k"), s("v")]] }]);
    expect(codeOf(error)).toBe("actor.fenced");
    expect(await driver.get("a", [s("k")])).toEqual([undefined]);
    expect((await driver.getActorById("a"))?.epoch).toBe(1);
  });

  it("rejects writes and claims for an actor that does not exist", async () => {
    const results = await driver.commit([
      { actorId: "ghost", epoch: 1, puts: [[s("k"), s("v")]], alarm: 10 },
      { actorId: "ghost", epoch: 1, claim: true },
    ]);
    expect(results.map(codeOf)).toEqual(["actor.fenced", "actor.fenced"]);
    expect(await driver.list("ghost")).toEqual([]);
    expect(await driver.getActorById("ghost")).toBeUndefined();
    expect(await driver.nextAlarm()).toBeUndefined();
  });

  it("applies the other batches of a commit when one is rejected", async () => {
    await create("a");
    await create("b");
    await create("c");
    const results = await driver.commit([
      { actorId: "a", epoch: 1, puts: [[s("k"), s("a")]] },
      { actorId: "b", epoch: 7, puts: [[s("k"), s("b")]] },
      { actorId: "c", epoch: 1, puts: [[s("k"), s("c")]], alarm: 42 },
      { actorId: "d", epoch: 1, create: record("d", ["a"]), puts: [[s("k"), s("d")]] },
      { actorId: "e", epoch: 1, create: record("e"), puts: [[s("k"), s("e")]] },
    ]);
    expect(results.map(codeOf)).toEqual([undefined, "actor.fenced", undefined, "actor.duplicate_key", undefined]);
    expect(await driver.get("a", [s("k")])).toEqual([s("a")]);
    expect(await driver.get("b", [s("k")])).toEqual([undefined]);
    expect(await driver.get("c", [s("k")])).toEqual([s("c")]);
    expect(await driver.get("d", [s("k")])).toEqual([undefined]);
    expect(await driver.get("e", [s("k")])).toEqual([s("e")]);
    expect(await driver.dueAlarms(100, 10)).toEqual([{ actorId: "c", at: 42 }]);
  });

  it("applies batches in order, so later batches see earlier ones", async () => {
    await create("a");
    const results = await driver.commit([
      { actorId: "a", epoch: 2, claim: true },
      { actorId: "a", epoch: 2, puts: [[s("k"), s("new")]] },
      { actorId: "a", epoch: 1, puts: [[s("k"), s("old")]] },
      { actorId: "n", epoch: 1, create: record("n") },
      { actorId: "n", epoch: 1, puts: [[s("k"), s("n")]] },
    ]);
    expect(results.map(codeOf)).toEqual([undefined, undefined, "actor.fenced", undefined, undefined]);
    expect(await driver.get("a", [s("k")])).toEqual([s("new")]);
    expect(await driver.get("n", [s("k")])).toEqual([s("n")]);
  });

  it("returns an empty result for an empty commit", async () => {
    expect(await driver.commit([])).toEqual([]);
  });
}
