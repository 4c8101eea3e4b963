// Conformance of writes: puts, deletes and range deletes of one actor's keys.

import { beforeEach, expect, it } from "vitest";
import type { StorageDriver } from "../../../src/storage/driver.ts";
import { type Harness, b, entries, hex, keysOf, s } from "./harness.ts";

export function kvWriteTests(h: Harness): void {
  let driver: StorageDriver;
  beforeEach(() => {
    driver = h.driver;
  });
  const { commitOk, create, put } = h;

  it("puts, overwrites and reads values in the order asked", async () => {
    await create("a");
    await put("a", [
      [s("x"), s("1")],
      [s("y"), s("2")],
    ]);
    await put("a", [[s("x"), s("3")]]);
    expect(await driver.get("a", [s("y"), s("missing"), s("x"), s("y")])).toEqual([s("2"), undefined, s("3"), s("2")]);
    expect(await driver.get("a", [])).toEqual([]);
  });

  it("keeps the last of two puts of one key in a batch", async () => {
    await create("a");
    await put("a", [
      [s("x"), s("1")],
      [s("x"), s("2")],
    ]);
    expect(await driver.get("a", [s("x")])).toEqual([s("2")]);
  });

  it("stores the empty key and empty values", async () => {
    await create("a");
    await put("a", [
      [b(), b()],
      [b(0), b()],
    ]);
    expect(await driver.get("a", [b(), b(0)])).toEqual([b(), b()]);
    expect(entries(await driver.list("a"))).toEqual(["=", "00="]);
  });

  it("deletes keys, ignoring missing ones", async () => {
    await create("a");
    await put("a", [
      [s("x"), s("1")],
      [s("y"), s("2")],
    ]);
    await commitOk({ actorId: "a", epoch: 1, deletes: [s("x"), s("never")] });
    expect(await driver.get("a", [s("x"), s("y")])).toEqual([undefined, s("2")]);
  });

  it("deletes half-open ranges [start, end)", async () => {
    await create("a");
    await put("a", [
      [b(1), b()],
      [b(1, 0), b()],
      [b(2), b()],
      [b(2, 0xff), b()],
      [b(3), b()],
      [b(4), b()],
    ]);
    await commitOk({
      actorId: "a",
      epoch: 1,
      deleteRanges: [
        [b(1, 0), b(3)],
        [b(4), b(4)],
      ],
    });
    expect(keysOf(await driver.list("a"))).toEqual(["01", "03", "04"]);
    await commitOk({ actorId: "a", epoch: 1, deleteRanges: [[b(), b(0xff)]] });
    expect(await driver.list("a")).toEqual([]);
  });

  it("applies deleteRanges, then deletes, then puts within a batch", async () => {
    await create("a");
    await put("a", [
      [s("a1"), s("old")],
      [s("a2"), s("old")],
      [s("b"), s("old")],
    ]);
    await commitOk({
      actorId: "a",
      epoch: 1,
      deleteRanges: [[s("a"), s("b")]],
      deletes: [s("b"), s("c")],
      puts: [
        [s("a2"), s("new")],
        [s("c"), s("new")],
      ],
    });
    expect(entries(await driver.list("a"))).toEqual([`${hex(s("a2"))}=${hex(s("new"))}`, `${hex(s("c"))}=${hex(s("new"))}`]);
  });

  it("writes in the same batch as the create", async () => {
    await create("a", ["a"], { puts: [[s("state"), s("init")]] });
    expect(await driver.get("a", [s("state")])).toEqual([s("init")]);
  });

  it("finds nothing for an unknown actor", async () => {
    expect(await driver.get("nobody", [s("k")])).toEqual([undefined]);
    expect(await driver.list("nobody")).toEqual([]);
  });
}
