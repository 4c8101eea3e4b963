// The WebSocket connection protocol, spoken by hand over a real socket, in both encodings.

import { connect } from "node:net";
import { describe, expect, test } from "vitest";
import { WebSocket } from "ws";
import { type Served, serveActors } from "./fixtures.ts";
import { Peer } from "./ws-peer.ts";

async function actorIdOf(served: Served, name: string, key: string[]): Promise<string> {
  const response = await fetch(`${served.url}/actors`, {
    method: "POST",
    body: JSON.stringify({ query: { kind: "getOrCreate", name, key } }),
  });
  return ((await response.json()) as { actorId: string }).actorId;
}

function wsUrl(served: Served, name: string, actorId: string): string {
  return `${served.url.replace("http", "ws")}/actors/${name}/${actorId}/connect`;
}

describe.each(["json", "cbor"] as const)("WebSocket protocol (%s)", (encoding) => {
  test("init, multiplexed actions, subscriptions and events", async () => {
    await using served = await serveActors();
    const actorId = await actorIdOf(served, "counter", ["ws"]);
    const peer = new Peer(wsUrl(served, "counter", actorId), encoding);
    const init = await peer.next();
    expect(init).toMatchObject({ type: "init", actorId, protocol: 1 });
    expect(typeof init.connId).toBe("string");

    // A held call does not hold back the next one: replies are matched by id, not by order.
    const holderId = await actorIdOf(served, "holder", ["ws"]);
    const held = new Peer(wsUrl(served, "holder", holderId), encoding);
    await held.next();
    held.send({ type: "action", id: 1, name: "hold", args: ["late"] });
    expect(await held.next()).toEqual({ type: "event", name: "holding", args: [] });
    held.send({ type: "action", id: 2, name: "echo", args: [{ a: [1, 2] }] });
    expect(await held.next()).toEqual({ type: "result", id: 2, output: { a: [1, 2] } });
    held.send({ type: "action", id: 3, name: "release", args: [] });
    const released = await held.take(2);
    expect(released).toContainEqual({ type: "result", id: 1, output: "late" });
    expect(released.map((m) => m.id).sort()).toEqual([1, 3]);
    held.close();

    // Not subscribed: no event. Subscribed: the event comes before the reply of the call that caused it.
    peer.send({ type: "action", id: 3, name: "increment", args: [1] });
    expect(await peer.next()).toEqual({ type: "result", id: 3, output: 1 });
    peer.send({ type: "subscribe", event: "changed", subscribe: true });
    peer.send({ type: "action", id: 4, name: "increment", args: [2] });
    expect(await peer.take(2)).toEqual([
      { type: "event", name: "changed", args: [3] },
      { type: "result", id: 4, output: 3 },
    ]);
    peer.send({ type: "subscribe", event: "changed", subscribe: false });
    peer.send({ type: "action", id: 5, name: "increment", args: [1] });
    expect(await peer.next()).toEqual({ type: "result", id: 5, output: 4 });
    peer.close();
    await peer.closed;
  });

  test("errors carry the action id; unknown actions and malformed frames leave the connection usable", async () => {
    await using served = await serveActors();
    const actorId = await actorIdOf(served, "counter", ["errors"]);
    const peer = new Peer(wsUrl(served, "counter", actorId), encoding);
    await peer.next();
    peer.send({ type: "action", id: 1, name: "fail", args: [] });
    expect(await peer.next()).toEqual({
      type: "error",
      id: 1,
      group: "user",
      code: "bad_thing",
      message: "nope",
      metadata: { why: "test" },
    });
    peer.send({ type: "action", id: 2, name: "missing", args: [] });
    expect(await peer.next()).toMatchObject({ type: "error", id: 2, group: "actor", code: "action_not_found" });
    peer.send({ type: "action", id: 3, name: "crash", args: [] });
    expect(await peer.next()).toEqual({
      type: "error",
      id: 3,
      group: "actor",
      code: "internal_error",
      message: "An internal error occurred",
    });

    peer.sendRaw(encoding === "json" ? "{not json" : new Uint8Array([0xff, 0xff, 0xff]));
    expect(await peer.next()).toMatchObject({ type: "error", group: "message", code: "malformed" });
    peer.send({ type: "action", id: "seven", name: "echo", args: [] });
    expect(await peer.next()).toMatchObject({ type: "error", group: "message", code: "malformed" });
    peer.send({ type: "teleport" });
    expect(await peer.next()).toMatchObject({ type: "error", group: "message", code: "malformed" });

    peer.send({ type: "action", id: 4, name: "getCount", args: [] });
    expect(await peer.next()).toEqual({ type: "result", id: 4, output: 0 });
    peer.close();
  });

  test("an oversized message is refused before decoding and closes the connection; oversized output fails the call", async () => {
    await using served = await serveActors({ maxIncomingMessageSize: 1024, maxOutgoingMessageSize: 2048 });
    const actorId = await actorIdOf(served, "counter", ["limits"]);
    const peer = new Peer(wsUrl(served, "counter", actorId), encoding);
    await peer.next();
    peer.send({ type: "action", id: 1, name: "big", args: [4000] });
    expect(await peer.next()).toMatchObject({ type: "error", id: 1, group: "message", code: "outgoing_too_long" });

    peer.send({ type: "action", id: 2, name: "echo", args: ["z".repeat(2000)] });
    expect(await peer.next()).toMatchObject({ type: "error", group: "message", code: "incoming_too_long", metadata: { limit: 1024 } });
    expect(await peer.closed).toEqual({ code: 1009, reason: "message.incoming_too_long" });

    // Far over the limit: the socket library refuses the frame itself, with the same close code.
    const flood = new Peer(wsUrl(served, "counter", actorId), encoding);
    await flood.next();
    flood.sendRaw(new Uint8Array(64 * 1024));
    expect((await flood.closed).code).toBe(1009);
  });

  test("a rejected connection gets the error, then a close with its code; nothing is created", async () => {
    await using served = await serveActors();
    const actorId = await actorIdOf(served, "guarded", []);
    const denied = new Peer(wsUrl(served, "guarded", actorId), encoding, [Peer.params({ token: "nope" })]);
    expect(await denied.next()).toMatchObject({ type: "error", group: "auth", code: "forbidden", message: "Bad token." });
    expect(await denied.closed).toEqual({ code: 1008, reason: "auth.forbidden" });

    const unknown = new Peer(wsUrl(served, "guarded", "00000000-0000-0000-0000-000000000000"), encoding);
    expect(await unknown.next()).toMatchObject({ type: "error", group: "actor", code: "not_found" });
    expect((await unknown.closed).code).toBe(1008);

    const allowed = new Peer(wsUrl(served, "guarded", actorId), encoding, [Peer.params({ token: "secret" }), "troupe.token.ImFiYyI"]);
    await allowed.next();
    allowed.send({ type: "action", id: 1, name: "whoami", args: [] });
    expect(await allowed.next()).toEqual({ type: "result", id: 1, output: { token: "secret", authorization: "Bearer abc", custom: null } });
    allowed.send({ type: "action", id: 2, name: "connects", args: [] });
    expect(await allowed.next()).toEqual({ type: "result", id: 2, output: 1 });
    allowed.close();
  });

  test("queue sends are requests with an id, answered like actions", async () => {
    await using served = await serveActors();
    const actorId = await actorIdOf(served, "inbox", []);
    const peer = new Peer(wsUrl(served, "inbox", actorId), encoding);
    await peer.next();
    peer.send({ type: "send", id: 1, queue: "jobs", body: { n: 4 }, options: { wait: true, timeout: 5_000 } });
    peer.send({ type: "action", id: 2, name: "completeNext", args: [] });
    const replies = await peer.take(2);
    expect(replies).toContainEqual({ type: "result", id: 1, output: { status: "completed", response: { doubled: 8 } } });
    expect(replies).toContainEqual({ type: "result", id: 2, output: true });
    peer.send({ type: "send", id: 3, queue: "jobs", body: { n: 5 } });
    expect(await peer.next()).toMatchObject({ type: "result", id: 3 });
    peer.send({ type: "send", id: 4, queue: "nowhere", body: null });
    expect(await peer.next()).toMatchObject({ type: "error", id: 4, group: "queue", code: "not_found" });
    peer.close();
  });

  test("conn.disconnect(reason) closes with 1000 and the reason", async () => {
    await using served = await serveActors();
    const actorId = await actorIdOf(served, "counter", ["kick"]);
    const peer = new Peer(wsUrl(served, "counter", actorId), encoding);
    await peer.next();
    peer.send({ type: "action", id: 1, name: "kick", args: ["bye now"] });
    expect(await peer.closed).toEqual({ code: 1000, reason: "bye now" });
  });
});

test("unknown WebSocket routes and unsupported subprotocol options are refused", async () => {
  await using served = await serveActors();
  const actorId = await actorIdOf(served, "counter", []);
  const badEncoding = new Peer(wsUrl(served, "counter", actorId), "json", ["troupe.encoding.xml"]);
  expect((await badEncoding.closed).reason).toBe("protocol.unsupported_encoding");
  const badVersion = new Peer(wsUrl(served, "counter", actorId), "json", ["troupe.v9"]);
  expect((await badVersion.closed).reason).toBe("protocol.unsupported_version");
  const nowhere = new Peer(`${served.url.replace("http", "ws")}/elsewhere`, "json");
  const error = await new Promise<Error>((resolve) => nowhere.socket.on("error", resolve));
  expect(error.message).toContain("404");
});

test("an upgrade from an origin CORS does not allow, or with a Host that makes no URL, is refused before the handshake", async () => {
  await using served = await serveActors({ cors: { origin: ["http://ok.example"] } });
  const actorId = await actorIdOf(served, "counter", []);
  const refusal = (origin: string) =>
    new Promise<string>((resolve) => {
      const socket = new WebSocket(wsUrl(served, "counter", actorId), ["troupe.v1"], { origin });
      socket.on("open", () => {
        resolve("open");
        socket.close();
      });
      socket.on("error", (error) => resolve(error.message));
    });
  expect(await refusal("http://evil.example")).toContain("403");
  expect(await refusal("http://ok.example")).toBe("open");

  const { port } = new URL(served.url);
  const response = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () =>
      socket.write(
        `GET /actors/counter/${actorId}/connect HTTP/1.1\r\nHost: not a host\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      ),
    );
    let text = "";
    socket.on("data", (chunk) => {
      text += String(chunk);
    });
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
  expect(response.split("\r\n")[0]).toBe("HTTP/1.1 400 Bad Request");
});
