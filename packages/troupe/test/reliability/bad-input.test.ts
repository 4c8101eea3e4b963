// Bad input gets a typed 4xx, never 500 internal_error; keys are bounded and name the same actor in
// every encoding; errors tell an unauthenticated caller nothing about what is registered.

import { createClient } from "troupe";
import { createClient as createRemoteClient } from "troupe/client";
import { describe, expect, test } from "vitest";
import { encodeCbor } from "../../src/base/cbor.ts";
import { Peer } from "../transport/ws-peer.ts";
import { actorId, CBOR_CYCLE, cborMap, connectUrl, ENCODINGS, post, type ReliabilityRegistry, serve } from "./actors.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64url");

test("a malformed token subprotocol closes the socket with 1008 message.malformed, not an internal error", async () => {
  await using served = await serve();
  const id = await actorId(served, "store", ["token"]);
  for (const token of ["%%%not-base64", b64("{not json"), b64("42")]) {
    const peer = new Peer(connectUrl(served, "store", id), "json", [`troupe.token.${token}`]);
    expect(await peer.closed).toEqual({ code: 1008, reason: "message.malformed" });
  }
  // A well-formed token still works.
  const peer = new Peer(connectUrl(served, "store", id), "json", [`troupe.token.${b64('"t"')}`]);
  expect(await peer.next()).toMatchObject({ type: "init" });
  peer.close();
});

describe.each(ENCODINGS)("typed 4xx for hostile bodies (%s)", (encoding) => {
  test("deep, cyclic and malformed creation inputs and params", async () => {
    await using served = await serve();
    const resolve = (raw: string | Uint8Array, headers: Record<string, string> = {}) =>
      post(`${served.url}/actors`, { raw }, encoding, headers);
    const deep = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
    const deepInput =
      encoding === "json"
        ? `{"query":{"kind":"getOrCreate","name":"store","key":["d"],"input":${deep}}}`
        : cborMap([
            [
              "query",
              cborMap([
                ["kind", "getOrCreate"],
                ["name", "store"],
                ["key", ["d"]],
                ["input", new Uint8Array([...new Array(1_000).fill(0x81), 0x80])],
              ]),
            ],
          ]);
    expect(await resolve(deepInput)).toMatchObject({ status: 400, body: { group: "message", code: "unsupported_value" } });
    if (encoding === "cbor") {
      const cyclic = cborMap([
        [
          "query",
          cborMap([
            ["kind", "getOrCreate"],
            ["name", "store"],
            ["key", ["c"]],
            ["input", CBOR_CYCLE],
          ]),
        ],
      ]);
      expect(await resolve(cyclic)).toMatchObject({ status: 400, body: { group: "message", code: "unsupported_value" } });
    }
    const body =
      encoding === "json"
        ? JSON.stringify({ query: { kind: "getOrCreate", name: "store", key: ["p"] } })
        : encodeCbor({ query: { kind: "getOrCreate", name: "store", key: ["p"] } });
    expect(await resolve(body, { "x-troupe-conn-params": "%%%" })).toMatchObject({
      status: 400,
      body: { group: "message", code: "malformed" },
    });
    expect(await resolve(body, { "x-troupe-conn-params": b64(deep) })).toMatchObject({ status: 400, body: { group: "message" } });
    for (const garbage of ["", "{", "[1,2]", "null"]) {
      const reply = await resolve(encoding === "json" ? garbage : new TextEncoder().encode(garbage));
      expect(reply.status).toBe(400);
      expect(reply.body.group).toBe("message");
    }
  });

  test("a key is at most 32 parts and 1024 bytes, each part counting one more; 20,000 empty parts are refused", async () => {
    await using served = await serve();
    const resolve = (key: string[]) =>
      post(`${served.url}/actors`, { value: { query: { kind: "getOrCreate", name: "store", key } } }, encoding);
    const tooLarge = { status: 400, body: { group: "actor", code: "key_too_large" } };
    expect(await resolve(new Array(20_000).fill(""))).toMatchObject(tooLarge);
    expect(await resolve(new Array(33).fill(""))).toMatchObject(tooLarge);
    expect((await resolve(new Array(32).fill(""))).status).toBe(200);
    expect(await resolve(new Array(8).fill("x".repeat(128)))).toMatchObject(tooLarge);
    expect((await resolve([...new Array(7).fill("x".repeat(128)), "x".repeat(120)])).status).toBe(200);
  });
});

test("a key with a lone surrogate names the same actor over JSON, CBOR and in-process", async () => {
  await using served = await serve();
  const lone = "room-\ud800";
  // Raw JSON can carry the lone surrogate itself (as the escape \ud800); clients of both encodings send the key they normalized.
  const raw = await post(`${served.url}/actors`, { value: { query: { kind: "getOrCreate", name: "store", key: [lone] } } }, "json");
  const ids = [raw.body.actorId, await createClient(served.registry).store.getOrCreate([lone]).resolve()];
  for (const encoding of ENCODINGS) {
    const remote = createRemoteClient<ReliabilityRegistry>(served.url, { encoding });
    ids.push(await remote.store.getOrCreate([lone]).resolve());
    await remote.dispose();
  }
  ids.push(await createClient(served.registry).store.getOrCreate(["room-\ufffd"]).resolve());
  expect(new Set(ids).size).toBe(1);
  expect(ids[0]).toEqual(expect.any(String));
});

test("errors do not list the registered actors nor an actor's queues", async () => {
  await using served = await serve();
  const unknown = await post(`${served.url}/actors`, { value: { query: { kind: "getOrCreate", name: "nobody", key: [] } } }, "json");
  expect(unknown).toEqual({
    status: 404,
    body: { group: "actor", code: "not_registered", message: 'No actor named "nobody" is registered.', metadata: { name: "nobody" } },
  });
  const id = await actorId(served, "vault", ["queues"], { authorization: "Bearer ok" });
  const send = await post(`${served.url}/actors/vault/${id}/queue/nope`, { value: { body: 1 } }, "json", { authorization: "Bearer ok" });
  expect(send).toEqual({
    status: 404,
    body: { group: "queue", code: "not_found", message: 'The actor has no queue named "nope".', metadata: { name: "nope" } },
  });
  expect(JSON.stringify([unknown, send])).not.toMatch(/store|vault|gate|inbox/);
});
