import { actor, setup } from "troupe";
import { setupTest } from "troupe/test";
import { describe, expect, test } from "vitest";

const describeError = (error: unknown) => {
  const { group, code, metadata } = error as { group: string; code: string; metadata: unknown };
  return { group, code, metadata };
};

const store = actor({
  actions: {
    put: (c, key: string, value: string) => c.kv.put(key, value),
    putBytes: (c, key: number[], value: number[]) => c.kv.put(new Uint8Array(key), new Uint8Array(value)),
    get: (c, key: string) => c.kv.get(key),
    getBatch: (c, keys: string[]) => c.kv.getBatch(keys),
    putBatch: (c, entries: Array<[string, string]>) => c.kv.putBatch(entries),
    deleteBatch: (c, keys: string[]) => c.kv.deleteBatch(keys),
    delete: (c, key: string) => c.kv.delete(key),
    list: (c, prefix?: string) => c.kv.list(prefix === undefined ? {} : { prefix }),
    keys: async (c) => (await c.kv.list()).map(([key]) => key),
    listRange: (c, start: string, end: string, reverse?: boolean, limit?: number) => c.kv.listRange(start, end, { reverse, limit }),
    deleteRange: (c, start: string, end: string) => c.kv.deleteRange(start, end),
    binary: async (c) => {
      await c.kv.put("buffer", new Uint8Array([4, 8, 15, 16, 23, 42]).buffer);
      await c.kv.put(new Uint8Array([0xff, 0x00]), "binary key");
      const asBuffer = await c.kv.get("buffer", { type: "arrayBuffer" });
      const asBytes = await c.kv.get("buffer");
      const asText = await c.kv.get("buffer", { type: "text" });
      const binaryKeys = await c.kv.list(new Uint8Array([0xff]), { keyType: "binary" });
      return {
        isArrayBuffer: asBuffer instanceof ArrayBuffer,
        buffer: [...new Uint8Array(asBuffer!)],
        bytes: asBytes instanceof Uint8Array ? [...asBytes] : asBytes,
        textLength: asText?.length,
        binaryKeys: binaryKeys.map(([k, v]) => [[...k], v]),
      };
    },
    /** Writes, then reads before anything is committed. */
    readOwnWrites: async (c) => {
      void c.kv.put("a", "1");
      void c.kv.put("b", "2");
      void c.kv.deleteRange("b", "c");
      void c.kv.delete("zzz");
      const seen = await c.kv.getBatch(["a", "b"]);
      const listed = await c.kv.list();
      return { seen, listed };
    },
    tryPut: (c, key: string, value: string) => c.kv.put(key, value).then(() => "ok", describeError),
    tryBatch: (c, entries: Array<[string, string]>) => c.kv.putBatch(entries).then(() => "ok", describeError),
    setState: (c, n: number) => {
      c.state.n = n;
    },
    state: (c) => c.state.n,
  },
  state: { n: 0 },
});

const small = actor({
  options: { maxKvKeySize: 4, maxKvValueSize: 8 },
  actions: {
    tryPut: (c, key: string, value: string) => c.kv.put(key, value).then(() => "ok", describeError),
  },
});
// Values up to 128 KiB travel as action arguments: the registry accepts messages that large.
const registry = setup({ use: { store, small }, maxIncomingMessageSize: 256 * 1024 });

describe.each(["sqlite", "memory"] as const)("c.kv on the %s driver", (storage) => {
  test("put, get, delete and batches", async () => {
    const t = setupTest(registry, { storage });
    const h = t.client.store.getOrCreate(["a"]);
    await h.put("greeting", "hello");
    expect(await h.get("greeting")).toBe("hello");
    expect(await h.get("missing")).toBeUndefined();
    await h.putBatch([
      ["x", "1"],
      ["y", "2"],
    ]);
    expect(await h.getBatch(["x", "missing", "y"])).toEqual(["1", undefined, "2"]);
    await h.deleteBatch(["x", "y"]);
    await h.delete("greeting");
    expect(await h.list()).toEqual([]);
  });

  test("keys sort by their UTF-8 bytes, not by JavaScript string order", async () => {
    const t = setupTest(registry, { storage });
    const h = t.client.store.getOrCreate(["a"]);
    // "\uffff" sorts after "😀" in UTF-16 code units, but before it in UTF-8 (ef bf bf < f0 9f 98 80).
    const keys = ["😀", "\uffff", "é", "z", "a", "aa", "", "A"];
    for (const key of keys) await h.put(key, key);
    expect(await h.keys()).toEqual(["", "A", "a", "aa", "z", "é", "\uffff", "😀"]);
  });

  test("list by prefix, listRange and deleteRange exclude the end", async () => {
    const t = setupTest(registry, { storage });
    const h = t.client.store.getOrCreate(["a"]);
    for (const key of ["a", "b", "c", "d", "user:1", "user:2", "users"]) await h.put(key, `v-${key}`);
    expect(await h.list("user:")).toEqual([
      ["user:1", "v-user:1"],
      ["user:2", "v-user:2"],
    ]);
    expect((await h.listRange("b", "d")).map(([k]) => k)).toEqual(["b", "c"]);
    expect((await h.listRange("a", "e", true, 2)).map(([k]) => k)).toEqual(["d", "c"]);
    await h.deleteRange("b", "d");
    expect(await h.keys()).toEqual(["a", "d", "user:1", "user:2", "users"]);
  });

  test("binary keys and values round-trip; a value comes back as the type it was put", async () => {
    const t = setupTest(registry, { storage });
    expect(await t.client.store.getOrCreate(["a"]).binary()).toEqual({
      isArrayBuffer: true,
      buffer: [4, 8, 15, 16, 23, 42],
      bytes: [4, 8, 15, 16, 23, 42],
      textLength: 6,
      binaryKeys: [[[0xff, 0x00], "binary key"]],
    });
  });

  test("an actor reads its own writes before they are committed", async () => {
    const t = setupTest(registry, { storage });
    expect(await t.client.store.getOrCreate(["a"]).readOwnWrites()).toEqual({
      seen: ["1", undefined],
      listed: [["a", "1"]],
    });
  });

  test("keys are the actor's own and apart from its state", async () => {
    const t = setupTest(registry, { storage });
    const a = t.client.store.getOrCreate(["a"]);
    const b = t.client.store.getOrCreate(["b"]);
    await a.setState(7);
    await a.put("k", "from a");
    await b.put("k", "from b");
    expect(await a.list()).toEqual([["k", "from a"]]);
    expect(await b.list()).toEqual([["k", "from b"]]);
    expect(await a.state()).toBe(7);
  });

  test("acknowledged writes survive sleep and a restart", async () => {
    const t = setupTest(registry, { storage });
    const h = t.client.store.getOrCreate(["a"]);
    await h.put("kept", "yes");
    await t.sleep(await h.resolve());
    expect(await h.get("kept")).toBe("yes");
    await t.restart();
    expect(await h.get("kept")).toBe("yes");
  });
});

test("keys over 2 KiB and values over 128 KiB are refused with typed errors", async () => {
  const t = setupTest(registry);
  const h = t.client.store.getOrCreate(["a"]);
  expect(await h.tryPut("k".repeat(2048), "fits")).toBe("ok");
  expect(await h.tryPut("k".repeat(2049), "v")).toEqual({ group: "kv", code: "key_too_large", metadata: { size: 2049, limit: 2048 } });
  expect(await h.tryPut("v", "x".repeat(128 * 1024))).toBe("ok");
  expect(await h.tryPut("v", "x".repeat(128 * 1024 + 1))).toMatchObject({ group: "kv", code: "value_too_large" });
  // Limits count UTF-8 bytes: "é" is two.
  expect(await h.tryPut("é".repeat(1025), "v")).toMatchObject({ code: "key_too_large", metadata: { size: 2050 } });
  // A batch with one bad entry writes nothing.
  expect(
    await h.tryBatch([
      ["good", "1"],
      ["bad", "x".repeat(128 * 1024 + 1)],
    ]),
  ).toMatchObject({ code: "value_too_large" });
  expect(await h.get("good")).toBeUndefined();
  // The caller sees the error as it is: it is a public error.
  await expect(h.put("k".repeat(3000), "v")).rejects.toMatchObject({ group: "kv", code: "key_too_large" });
});

test("the limits are configurable per actor", async () => {
  const t = setupTest(registry);
  const h = t.client.small.getOrCreate(["a"]);
  expect(await h.tryPut("abcd", "12345678")).toBe("ok");
  expect(await h.tryPut("abcde", "1")).toMatchObject({ code: "key_too_large", metadata: { limit: 4 } });
  expect(await h.tryPut("a", "123456789")).toMatchObject({ code: "value_too_large", metadata: { limit: 8 } });
});
