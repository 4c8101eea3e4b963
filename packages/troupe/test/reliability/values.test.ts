// The rules for values (docs/values.md) hold at every boundary, over real sockets in both encodings:
// a value one encoding or the state cannot hold is a typed error for its caller only, never a crash.

import { describe, expect, test } from "vitest";
import {
  actionUrl,
  actorId,
  CBOR_CYCLE,
  cborAction,
  cborArgsBody,
  cborMap,
  cborShared,
  deepJson,
  ENCODINGS,
  openPeer,
  post,
  serve,
} from "./actors.ts";

const unsupported = { group: "message", code: "unsupported_value" };

describe.each(ENCODINGS)("values over HTTP and WebSocket (%s)", (encoding) => {
  test("a bigint result is a typed error for a JSON caller and a bigint for a CBOR one", async () => {
    await using served = await serve();
    const id = await actorId(served, "store", ["bigint"]);
    const http = await post(actionUrl(served, "store", id, "bigint"), { value: { args: [] } }, encoding);
    if (encoding === "json") {
      expect(http).toEqual({
        status: 400,
        body: { ...unsupported, message: expect.any(String), metadata: { path: "message.output", problem: "bigint" } },
      });
    } else {
      expect(http).toEqual({ status: 200, body: { output: 12345678901234567890n } });
    }
    const peer = await openPeer(served, "store", id, encoding);
    peer.send({ type: "action", id: 1, name: "bigint", args: [] });
    const reply = await peer.next();
    if (encoding === "json") expect(reply).toMatchObject({ type: "error", id: 1, ...unsupported });
    else expect(reply).toEqual({ type: "result", id: 1, output: 12345678901234567890n });
    // The connection and the server go on.
    peer.send({ type: "action", id: 2, name: "echo", args: ["still here"] });
    expect(await peer.next()).toEqual({ type: "result", id: 2, output: "still here" });
    peer.close();
  });

  test("a bigint broadcast reaches CBOR subscribers; a JSON subscriber gets an error naming the event", async () => {
    await using served = await serve();
    const id = await actorId(served, "store", ["broadcast"]);
    const listener = await openPeer(served, "store", id, encoding);
    listener.send({ type: "subscribe", event: "news", subscribe: true });
    const caller = await openPeer(served, "store", id, "cbor");
    caller.send({ type: "action", id: 1, name: "broadcast", args: [5n] });
    expect(await caller.next()).toEqual({ type: "result", id: 1, output: "sent" });
    const got = await listener.next();
    if (encoding === "json") {
      expect(got).toMatchObject({ type: "error", ...unsupported, metadata: { event: "news", problem: "bigint" } });
      expect(got).not.toHaveProperty("id");
    } else {
      expect(got).toEqual({ type: "event", name: "news", args: [5n] });
    }
    listener.send({ type: "action", id: 2, name: "broadcast", args: ["plain"] });
    expect(await listener.take(2)).toEqual(
      expect.arrayContaining([
        { type: "event", name: "news", args: ["plain"] },
        { type: "result", id: 2, output: "sent" },
      ]),
    );
    listener.close();
    caller.close();
  });

  test("state that holds a bigint (stored by a CBOR caller) reads as a typed error over JSON", async () => {
    await using served = await serve();
    const id = await actorId(served, "store", ["stored-bigint"]);
    expect((await post(actionUrl(served, "store", id, "set"), { value: { args: [{ n: 7n }] } }, "cbor")).status).toBe(200);
    const read = await post(actionUrl(served, "store", id, "get"), { value: { args: [] } }, encoding);
    if (encoding === "json") expect(read.body).toMatchObject({ ...unsupported, metadata: { path: "message.output.n" } });
    else expect(read.body).toEqual({ output: { n: 7n } });
    expect(read.status).toBe(encoding === "json" ? 400 : 200);
  });

  test("a value nested past the limit is refused when it arrives, before it reaches the actor or its state", async () => {
    await using served = await serve();
    const id = await actorId(served, "store", ["deep"]);
    // A few KB of JSON nested 2,000 (and 5,000) deep; the same in CBOR.
    for (const levels of [2_000, 5_000]) {
      const body =
        encoding === "json" ? `{"args":[${deepJson(levels)}]}` : cborArgsBody(new Uint8Array([...new Array(levels).fill(0x81), 0x00]));
      const reply = await post(actionUrl(served, "store", id, "set"), { raw: body }, encoding);
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject(encoding === "json" ? unsupported : { group: "message" });
    }
    // A value may nest 128 levels; 129 is refused with the path where it goes too deep.
    const call = (action: string, levels: number) =>
      post(actionUrl(served, "store", id, action), { raw: argsBody(levels, encoding) }, encoding);
    expect(await call("echo", 128)).toMatchObject({ status: 200, body: { output: [[[expect.anything()]]] } });
    expect(await call("echo", 129)).toMatchObject({ status: 400, body: { ...unsupported, metadata: { problem: "too_deep" } } });
    // The state as a whole nests 128 levels: its own object is the first.
    expect((await call("set", 127)).status).toBe(200);
    expect(await call("set", 128)).toMatchObject({ status: 400, body: { group: "actor", code: "state_not_serializable" } });
    const peer = await openPeer(served, "store", id, encoding);
    // Decodable (JSON at any depth, CBOR to about a thousand levels): the error names the request.
    peer.sendRaw(encoding === "json" ? `{"type":"action","id":9,"name":"set","args":[${deepJson(3_000)}]}` : deepCborAction(9, 1_000));
    expect(await peer.next()).toMatchObject({ type: "error", id: 9, ...unsupported });
    if (encoding === "cbor") {
      // Too deep for the CBOR decoder itself: malformed, with no id to give back.
      peer.sendRaw(deepCborAction(11, 5_000));
      expect(await peer.next()).toEqual({ type: "error", group: "message", code: "malformed", message: expect.any(String) });
    }
    peer.send({ type: "action", id: 10, name: "get", args: [] });
    expect(JSON.stringify((await peer.next()).output).length).toBe(2 * 127 + 1);
    peer.close();
  });

  test("actor code that builds too deep a value gets a typed error; nothing of it is stored", async () => {
    await using served = await serve();
    const id = await actorId(served, "store", ["builds-deep"]);
    const built = await post(actionUrl(served, "store", id, "buildDeep"), { value: { args: [2_000] } }, encoding);
    expect(built).toMatchObject({ status: 400, body: { group: "actor", code: "state_not_serializable" } });
    const returned = await post(actionUrl(served, "store", id, "returnDeep"), { value: { args: [2_000] } }, encoding);
    expect(returned).toMatchObject({ status: 400, body: { ...unsupported, metadata: { problem: "too_deep" } } });
    const cycle = await post(actionUrl(served, "store", id, "returnCycle"), { value: { args: [] } }, encoding);
    expect(cycle).toMatchObject({ status: 400, body: { ...unsupported, metadata: { problem: "cyclic" } } });
    await served.restart();
    expect((await post(actionUrl(served, "store", id, "get"), { value: { args: [] } }, encoding)).body).toEqual({});
  });
});

describe("cyclic and shared CBOR values (tags 28/29)", () => {
  test("are refused on arrival over HTTP and WebSocket; the error names the request", async () => {
    await using served = await serve();
    const id = await actorId(served, "store", ["cycle"]);
    for (const arg of [CBOR_CYCLE, cborShared(3), cborShared(22)]) {
      const reply = await post(actionUrl(served, "store", id, "echo"), { raw: cborArgsBody(arg) }, "cbor");
      expect(reply).toMatchObject({ status: 400, body: { ...unsupported, metadata: { problem: "shared" } } });
    }
    const peer = await openPeer(served, "store", id, "cbor");
    peer.sendRaw(cborAction(4, "echo", CBOR_CYCLE));
    expect(await peer.next()).toMatchObject({ type: "error", id: 4, ...unsupported });
    peer.sendRaw(cborAction(5, "set", cborShared(22)));
    expect(await peer.next()).toMatchObject({ type: "error", id: 5, ...unsupported });
    peer.send({ type: "action", id: 6, name: "get", args: [] });
    expect(await peer.next()).toEqual({ type: "result", id: 6 });
    peer.close();
  });
});

describe.each(ENCODINGS)("__proto__ (%s)", (encoding) => {
  test("an argument's __proto__ key gives it no prototype: it arrives renamed __proto_, as in the other encoding", async () => {
    await using served = await serve();
    const id = await actorId(served, "store", ["proto"]);
    const body =
      encoding === "json"
        ? '{"args":[{"__proto__":{"isAdmin":true},"name":"x"}]}'
        : cborArgsBody(
            cborMap([
              ["__proto__", { isAdmin: true }],
              ["name", "x"],
            ]),
          );
    const reply = await post(actionUrl(served, "store", id, "inspect"), { raw: body }, encoding);
    expect(reply).toEqual({ status: 200, body: { output: { isAdmin: null, keys: ["__proto_", "name"], plainPrototype: true } } });
    const peer = await openPeer(served, "store", id, encoding);
    peer.sendRaw(
      encoding === "json"
        ? '{"type":"action","id":1,"name":"inspect","args":[{"__proto__":{"isAdmin":true}}]}'
        : cborAction(1, "inspect", cborMap([["__proto__", { isAdmin: true }]])),
    );
    expect(await peer.next()).toEqual({ type: "result", id: 1, output: { isAdmin: null, keys: ["__proto_"], plainPrototype: true } });
    peer.close();
  });

  test("state refuses a __proto__ key at the mutation, and a user-chosen path cannot reach a prototype", async () => {
    await using served = await serve();
    const id = await actorId(served, "store", ["proto-state"]);
    const call = (action: string, args: unknown[]) => post(actionUrl(served, "store", id, action), { value: { args } }, encoding);
    expect((await call("setKey", ["__proto__", { polluted: true }])).body).toMatchObject({
      group: "actor",
      code: "state_not_serializable",
      metadata: { path: "state.m.__proto__" },
    });
    expect((await call("setPath", ["__proto__", "polluted", true])).body).toMatchObject({ code: "state_not_serializable" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await call("readKey", ["__proto__"])).body).toEqual({ output: null });
    expect((await call("setKey", ["ok", 1])).status).toBe(200);
    await served.restart();
    expect((await call("getM", [])).body).toEqual({ output: { ok: 1 } });
  });
});

/** An HTTP action body whose one argument nests `levels` deep. */
function argsBody(levels: number, encoding: "json" | "cbor"): string | Uint8Array {
  return encoding === "json" ? `{"args":[${deepJson(levels)}]}` : cborArgsBody(new Uint8Array([...new Array(levels).fill(0x81), 0x00]));
}

function deepCborAction(id: number, levels: number): Uint8Array {
  return cborAction(id, "set", new Uint8Array([...new Array(levels).fill(0x81), 0x00]));
}
