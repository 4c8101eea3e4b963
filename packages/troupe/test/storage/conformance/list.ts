// Conformance of list: bytewise order, prefix, bounds, reverse and limit.

import { beforeEach, expect, it } from "vitest";
import type { StorageDriver } from "../../../src/storage/driver.ts";
import { type Harness, b, entries, hex, keysOf, s } from "./harness.ts";

export function listTests(h: Harness): void {
  let driver: StorageDriver;
  beforeEach(() => {
    driver = h.driver;
  });
  const { create, put } = h;

  // In bytewise order, each key after the one above it; `shuffled` is the order they are written in.
  const sorted = [
    b(),
    b(0x00),
    b(0x00, 0x00),
    b(0x00, 0x01),
    b(0x01),
    b(0x61),
    b(0x61, 0x00),
    b(0x61, 0x62),
    b(0x7f),
    b(0x80),
    b(0xfe, 0xff),
    b(0xff),
    b(0xff, 0x00),
    b(0xff, 0xff),
    b(0xff, 0xff, 0x01),
  ];
  const all = sorted.map(hex);
  const shuffled = [7, 12, 0, 9, 3, 14, 1, 10, 5, 13, 2, 8, 11, 4, 6].map((i) => sorted[i]!);

  beforeEach(async () => {
    await create("a");
    await put(
      "a",
      shuffled.map((k, i) => [k, b(i)]),
    );
  });

  it("returns every key in bytewise order, with its value", async () => {
    expect(shuffled).toHaveLength(sorted.length);
    expect(keysOf(await driver.list("a"))).toEqual(all);
    const byKey = new Map(shuffled.map((k, i) => [hex(k), hex(b(i))]));
    expect(entries(await driver.list("a"))).toEqual(all.map((k) => `${k}=${byKey.get(k)}`));
  });

  it("filters by prefix, including prefixes of other keys and 0xff prefixes", async () => {
    expect(keysOf(await driver.list("a", { prefix: b(0x00) }))).toEqual(["00", "0000", "0001"]);
    expect(keysOf(await driver.list("a", { prefix: s("a") }))).toEqual(["61", "6100", "6162"]);
    expect(keysOf(await driver.list("a", { prefix: b(0xfe) }))).toEqual(["feff"]);
    expect(keysOf(await driver.list("a", { prefix: b(0xff) }))).toEqual(["ff", "ff00", "ffff", "ffff01"]);
    expect(keysOf(await driver.list("a", { prefix: b(0xff, 0xff) }))).toEqual(["ffff", "ffff01"]);
    expect(keysOf(await driver.list("a", { prefix: b(0x02) }))).toEqual([]);
    expect(keysOf(await driver.list("a", { prefix: b() }))).toEqual(all);
  });

  it("bounds by start (inclusive) and end (exclusive)", async () => {
    expect(keysOf(await driver.list("a", { start: b(0x61), end: b(0x7f) }))).toEqual(["61", "6100", "6162"]);
    expect(keysOf(await driver.list("a", { start: b(0x61, 0x01) }))).toEqual(all.slice(7));
    expect(keysOf(await driver.list("a", { end: b(0x00, 0x01) }))).toEqual(["", "00", "0000"]);
    expect(keysOf(await driver.list("a", { start: b(0x80), end: b(0x80) }))).toEqual([]);
    expect(keysOf(await driver.list("a", { start: b(0xff), end: b(0x01) }))).toEqual([]);
  });

  it("combines prefix with start and end", async () => {
    expect(keysOf(await driver.list("a", { prefix: b(0xff), start: b(0xff, 0x00) }))).toEqual(["ff00", "ffff", "ffff01"]);
    expect(keysOf(await driver.list("a", { prefix: b(0xff), end: b(0xff, 0xff) }))).toEqual(["ff", "ff00"]);
    expect(keysOf(await driver.list("a", { prefix: b(0x61), start: b(0x00), end: b(0xff) }))).toEqual(["61", "6100", "6162"]);
    expect(keysOf(await driver.list("a", { prefix: b(0x61), start: b(0x62) }))).toEqual([]);
    expect(keysOf(await driver.list("a", { prefix: b(0x61), end: b(0x61, 0x62) }))).toEqual(["61", "6100"]);
  });

  it("lists in reverse, and limits from the end it starts at", async () => {
    expect(keysOf(await driver.list("a", { reverse: true }))).toEqual([...all].reverse());
    expect(keysOf(await driver.list("a", { limit: 3 }))).toEqual(["", "00", "0000"]);
    expect(keysOf(await driver.list("a", { reverse: true, limit: 2 }))).toEqual(["ffff01", "ffff"]);
    expect(keysOf(await driver.list("a", { prefix: b(0x00), reverse: true, limit: 2 }))).toEqual(["0001", "0000"]);
    expect(keysOf(await driver.list("a", { start: b(0x01), end: b(0x80), reverse: true }))).toEqual(["7f", "6162", "6100", "61", "01"]);
    expect(await driver.list("a", { limit: 0 })).toEqual([]);
    expect(keysOf(await driver.list("a", { limit: 100 }))).toEqual(all);
  });
}
