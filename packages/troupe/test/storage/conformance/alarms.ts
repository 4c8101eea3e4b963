// Conformance of the alarm index: one alarm per actor, due alarms earliest first.

import { beforeEach, expect, it } from "vitest";
import type { StorageDriver } from "../../../src/storage/driver.ts";
import { type Harness, s } from "./harness.ts";

export function alarmTests(h: Harness): void {
  let driver: StorageDriver;
  beforeEach(() => {
    driver = h.driver;
  });
  const { commitOk, create, put } = h;

  it("sets alarms and returns due ones earliest first, up to and including upTo", async () => {
    await create("a", ["a"], { alarm: 300 });
    await create("b", ["b"], { alarm: 100 });
    await create("c", ["c"], { alarm: 200 });
    await create("d", ["d"], { alarm: 400 });
    await create("e");
    expect(await driver.nextAlarm()).toBe(100);
    expect(await driver.dueAlarms(300, 10)).toEqual([
      { actorId: "b", at: 100 },
      { actorId: "c", at: 200 },
      { actorId: "a", at: 300 },
    ]);
    expect(await driver.dueAlarms(300, 2)).toEqual([
      { actorId: "b", at: 100 },
      { actorId: "c", at: 200 },
    ]);
    expect(await driver.dueAlarms(99, 10)).toEqual([]);
    expect(await driver.dueAlarms(300, 0)).toEqual([]);
  });

  it("keeps reporting an alarm until a commit clears it", async () => {
    await create("a", ["a"], { alarm: 10 });
    expect(await driver.dueAlarms(10, 10)).toEqual([{ actorId: "a", at: 10 }]);
    expect(await driver.dueAlarms(10, 10)).toEqual([{ actorId: "a", at: 10 }]);
    await commitOk({ actorId: "a", epoch: 1, alarm: null });
    expect(await driver.dueAlarms(10, 10)).toEqual([]);
    expect(await driver.nextAlarm()).toBeUndefined();
  });

  it("replaces an actor's alarm, and leaves it when the batch omits alarm", async () => {
    await create("a", ["a"], { alarm: 500 });
    await commitOk({ actorId: "a", epoch: 1, alarm: 50 });
    expect(await driver.dueAlarms(1_000, 10)).toEqual([{ actorId: "a", at: 50 }]);
    await put("a", [[s("k"), s("v")]]);
    expect(await driver.nextAlarm()).toBe(50);
    await commitOk({ actorId: "a", epoch: 1, alarm: 900 });
    expect(await driver.nextAlarm()).toBe(900);
  });

  it("has no next alarm when none is set", async () => {
    expect(await driver.nextAlarm()).toBeUndefined();
    await create("a");
    expect(await driver.nextAlarm()).toBeUndefined();
    expect(await driver.dueAlarms(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
  });

  it("tells one actor's alarm, when the driver can (actorAlarm is optional)", async () => {
    if (driver.actorAlarm === undefined) return;
    await create("a", ["a"], { alarm: 300 });
    await create("b", ["b"]);
    expect(await driver.actorAlarm("a")).toBe(300);
    expect(await driver.actorAlarm("b")).toBeUndefined();
    expect(await driver.actorAlarm("nobody")).toBeUndefined();
    await commitOk({ actorId: "a", epoch: 1, alarm: null });
    expect(await driver.actorAlarm("a")).toBeUndefined();
  });
}
