// Conformance of byte ownership: arrays are copied in and out, so no caller can alias stored data.

import { beforeEach, expect, it } from "vitest";
import type { Bytes, StorageDriver } from "../../../src/storage/driver.ts";
import { type Harness, b, entries, hex, record, s } from "./harness.ts";

export function copyTests(h: Harness): void {
  let driver: StorageDriver;
  beforeEach(() => {
    driver = h.driver;
  });
  const { commitOk, create } = h;

  it("is not changed by mutating arrays after they were committed", async () => {
    const key = s("key");
    const value = s("value");
    const input = b(1, 2);
    const keyParts = ["room"];
    const created = record("a", keyParts, "counter", input);
    await commitOk({ actorId: "a", epoch: 1, create: created, puts: [[key, value]] });
    key[0] = 0;
    value[0] = 0;
    input[0] = 9;
    keyParts[0] = "changed";
    created.name = "changed";
    expect(await driver.get("a", [s("key")])).toEqual([s("value")]);
    expect(await driver.getActorById("a")).toMatchObject({ name: "counter", key: ["room"], input: b(1, 2) });
  });

  it("is not changed by mutating what it returned", async () => {
    await create("a", ["a"], { puts: [[s("key"), s("value")]] });
    await commitOk({ actorId: "b", epoch: 1, create: record("b", ["b"], "counter", b(1, 2)) });

    const [value] = await driver.get("a", [s("key")]);
    expect(value).toBeInstanceOf(Uint8Array);
    value!.fill(0);
    const [[listedKey, listedValue]] = (await driver.list("a")) as [[Bytes, Bytes]];
    listedKey.fill(0);
    listedValue.fill(0);
    const found = (await driver.getActorById("b"))!;
    found.input!.fill(0);
    found.key.push("extra");

    expect(entries(await driver.list("a"))).toEqual([`${hex(s("key"))}=${hex(s("value"))}`]);
    expect(await driver.getActorByKey("counter", ["b"])).toMatchObject({ key: ["b"], input: b(1, 2) });
  });
}
