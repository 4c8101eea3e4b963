// c.kv through the inspector: keys and values page by page, by prefix, and one whole value.

import { expect, test } from "vitest";
import { serveInspected } from "./fixtures.ts";

test("lists keys and values in key order by prefix and page, and reads one whole, without waking the actor", async () => {
  await using served = await serveInspected();
  const handle = served.client.counter.getOrCreate(["k"]);
  for (const n of [3, 1, 2]) await handle.kvPut(`user:${n}`, `name ${n}`);
  await handle.kvPut("other", "é".repeat(600));
  await handle.kvPutBytes("bin", [0, 1, 2]);
  await handle.kvPutBinaryKey([0xff, 0x00], "odd key");
  const id = await handle.resolve();
  await served.sleep(id);
  const list = async (query: string) => (await served.api("GET", `/actors/${id}/kv${query}`)).body;

  const all = await list("");
  expect(all.next).toBeNull();
  expect(all.entries).toEqual([
    { key: { text: "bin" }, value: { base64: "AAEC" }, size: 3, truncated: false },
    { key: { text: "other" }, value: { text: "é".repeat(512) }, size: 1200, truncated: true },
    { key: { text: "user:1" }, value: { text: "name 1" }, size: 6, truncated: false },
    { key: { text: "user:2" }, value: { text: "name 2" }, size: 6, truncated: false },
    { key: { text: "user:3" }, value: { text: "name 3" }, size: 6, truncated: false },
    { key: { base64: "/wA=" }, value: { text: "odd key" }, size: 7, truncated: false },
  ]);

  const first = await list("?prefix=user:&limit=2");
  expect((first.entries as Array<{ key: unknown }>).map((e) => e.key)).toEqual([{ text: "user:1" }, { text: "user:2" }]);
  const second = await list(`?prefix=user:&limit=2&cursor=${first.next}`);
  expect((second.entries as Array<{ key: unknown }>).map((e) => e.key)).toEqual([{ text: "user:3" }]);
  expect(second.next).toBeNull();
  expect(((await list("?prefixBase64=_w")).entries as unknown[]).length).toBe(1);

  expect((await served.api("GET", `/actors/${id}/kv/value?key=other`)).body).toEqual({
    key: { text: "other" },
    value: { text: "é".repeat(600) },
    size: 1200,
  });
  expect((await served.api("GET", `/actors/${id}/kv/value?keyBase64=_wA`)).body).toMatchObject({ value: { text: "odd key" } });
  expect(await served.api("GET", `/actors/${id}/kv/value?key=missing`)).toMatchObject({
    status: 404,
    body: { metadata: { what: "KV key" } },
  });
  for (const bad of ["/value", "?prefix=a&prefixBase64=YQ", "?cursor=%25", "?limit=0"]) {
    expect((await served.api("GET", `/actors/${id}/kv${bad}`)).status, bad).toBe(400);
  }
  expect(served.host.instances.has(id)).toBe(false);
});
