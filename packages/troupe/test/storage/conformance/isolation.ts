// Conformance of isolation: actors never see or change each other's data.

import { beforeEach, expect, it } from "vitest";
import type { StorageDriver } from "../../../src/storage/driver.ts";
import { type Harness, b, hex, keysOf, s } from "./harness.ts";

export function isolationTests(h: Harness): void {
  let driver: StorageDriver;
  beforeEach(() => {
    driver = h.driver;
  });
  const { commitOk, create, put } = h;

  it("keeps each actor's keys, ranges and alarms to itself", async () => {
    // "a" is a prefix of "ab": ids must not be compared by prefix.
    await create("a", ["a"], {
      puts: [
        [s("k1"), s("a1")],
        [s("k2"), s("a2")],
      ],
      alarm: 5,
    });
    await create("ab", ["ab"], {
      puts: [
        [s("k1"), s("ab1")],
        [s("k2"), s("ab2")],
      ],
      alarm: 6,
    });
    expect(await driver.get("a", [s("k1")])).toEqual([s("a1")]);
    expect(await driver.get("ab", [s("k1")])).toEqual([s("ab1")]);

    await commitOk({ actorId: "a", epoch: 1, deleteRanges: [[b(), b(0xff)]], alarm: null });
    expect(await driver.list("a")).toEqual([]);
    expect(keysOf(await driver.list("ab"))).toEqual([hex(s("k1")), hex(s("k2"))]);
    expect(await driver.dueAlarms(10, 10)).toEqual([{ actorId: "ab", at: 6 }]);

    await put("a", [[s("k1"), s("again")]]);
    await commitOk({ actorId: "ab", epoch: 1, destroy: true });
    expect(await driver.get("a", [s("k1")])).toEqual([s("again")]);
    expect(await driver.getActorById("a")).toBeDefined();
  });
}
