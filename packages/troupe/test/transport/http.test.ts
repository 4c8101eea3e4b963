// The HTTP routes of the protocol, spoken by hand over a real socket, in both encodings.

import { decodeCbor, encodeCbor } from "../../src/base/cbor.ts";
import { describe, expect, test } from "vitest";
import { serveActors } from "./fixtures.ts";

type Encoding = "json" | "cbor";

function post(url: string, body: unknown, encoding: Encoding, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: { "x-troupe-encoding": encoding, "content-type": encoding === "json" ? "application/json" : "application/cbor", ...headers },
    body: (encoding === "json" ? JSON.stringify(body) : encodeCbor(body)) as BodyInit,
  });
}

async function read(response: Response, encoding: Encoding): Promise<Record<string, unknown>> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  return (encoding === "json" ? JSON.parse(new TextDecoder().decode(bytes)) : decodeCbor(bytes)) as Record<string, unknown>;
}

const params = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe.each(["json", "cbor"] as const)("HTTP routes (%s)", (encoding) => {
  test("health, resolution by get / getOrCreate / create / id, and actions", async () => {
    await using served = await serveActors();
    const health = await fetch(`${served.url}/health`);
    expect(await health.json()).toEqual({ status: "ok", runtime: "troupe", protocol: 1 });

    const missing = await post(`${served.url}/actors`, { query: { kind: "get", name: "counter", key: ["a"] } }, encoding);
    expect(missing.status).toBe(404);
    expect(await read(missing, encoding)).toMatchObject({ group: "actor", code: "not_found" });

    const created = await post(
      `${served.url}/actors`,
      { query: { kind: "getOrCreate", name: "withInput", key: ["a"], input: { start: 7 } } },
      encoding,
    );
    const { actorId } = await read(created, encoding);
    expect(typeof actorId).toBe("string");
    const value = await post(`${served.url}/actors/withInput/${actorId}/actions/value`, { args: [] }, encoding);
    expect(await read(value, encoding)).toEqual({ output: 7 });

    const again = await post(`${served.url}/actors`, { query: { kind: "get", name: "withInput", key: ["a"] } }, encoding);
    expect(await read(again, encoding)).toEqual({ actorId });
    const byId = await post(`${served.url}/actors`, { query: { kind: "id", name: "withInput", actorId } }, encoding);
    expect(await read(byId, encoding)).toEqual({ actorId });
    const duplicate = await post(`${served.url}/actors`, { query: { kind: "create", name: "withInput", key: ["a"] } }, encoding);
    expect(duplicate.status).toBe(400);
    expect(await read(duplicate, encoding)).toMatchObject({ group: "actor", code: "duplicate_key" });

    const counterId = (
      await read(await post(`${served.url}/actors`, { query: { kind: "create", name: "counter", key: [] } }, encoding), encoding)
    ).actorId;
    const inc = await post(`${served.url}/actors/counter/${counterId}/actions/increment`, { args: [5] }, encoding);
    expect(inc.headers.get("content-type")).toBe(encoding === "json" ? "application/json" : "application/cbor");
    expect(await read(inc, encoding)).toEqual({ output: 5 });
    const nested = await post(`${served.url}/actors/counter/${counterId}/actions/math.add`, { args: [2, 3] }, encoding);
    expect(await read(nested, encoding)).toEqual({ output: 5 });
  });

  test("typed errors: unknown actor, action and id; user and internal errors", async () => {
    await using served = await serveActors();
    const unknownName = await post(`${served.url}/actors`, { query: { kind: "getOrCreate", name: "nobody", key: [] } }, encoding);
    expect(unknownName.status).toBe(404);
    expect(await read(unknownName, encoding)).toMatchObject({ group: "actor", code: "not_registered" });

    const { actorId } = await read(
      await post(`${served.url}/actors`, { query: { kind: "getOrCreate", name: "counter", key: [] } }, encoding),
      encoding,
    );
    const base = `${served.url}/actors/counter/${actorId}/actions`;
    const unknownAction = await post(`${base}/nope`, { args: [] }, encoding);
    expect(unknownAction.status).toBe(404);
    expect(await read(unknownAction, encoding)).toMatchObject({ group: "actor", code: "action_not_found" });

    const unknownId = await post(
      `${served.url}/actors/counter/00000000-0000-0000-0000-000000000000/actions/getCount`,
      { args: [] },
      encoding,
    );
    expect(unknownId.status).toBe(404);
    expect(await read(unknownId, encoding)).toMatchObject({ group: "actor", code: "not_found" });
    const wrongName = await post(`${served.url}/actors/withInput/${actorId}/actions/getCount`, { args: [] }, encoding);
    expect(wrongName.status).toBe(404);

    const user = await post(`${base}/fail`, { args: [] }, encoding);
    expect(user.status).toBe(400);
    expect(await read(user, encoding)).toEqual({ group: "user", code: "bad_thing", message: "nope", metadata: { why: "test" } });

    const internal = await post(`${base}/crash`, { args: [] }, encoding);
    expect(internal.status).toBe(500);
    const body = await read(internal, encoding);
    expect(body).toEqual({ group: "actor", code: "internal_error", message: "An internal error occurred" });
    expect(JSON.stringify(body)).not.toContain("secret");
  });

  test("connection params and c.request reach the actor; onBeforeConnect rejects with 403", async () => {
    await using served = await serveActors();
    const { actorId } = await read(
      await post(`${served.url}/actors`, { query: { kind: "getOrCreate", name: "guarded", key: [] } }, encoding),
      encoding,
    );
    const url = `${served.url}/actors/guarded/${actorId}/actions/whoami`;
    const denied = await post(url, { args: [] }, encoding, { "x-troupe-conn-params": params({ token: "wrong" }) });
    expect(denied.status).toBe(403);
    expect(await read(denied, encoding)).toMatchObject({ group: "auth", code: "forbidden", message: "Bad token." });

    const allowed = await post(url, { args: [] }, encoding, {
      "x-troupe-conn-params": params({ token: "secret" }),
      authorization: "Bearer abc",
      "x-custom": "yes",
    });
    expect(await read(allowed, encoding)).toEqual({ output: { token: "secret", authorization: "Bearer abc", custom: "yes" } });
  });

  test("size limits are checked before decoding; malformed bodies are typed errors", async () => {
    await using served = await serveActors({ maxIncomingMessageSize: 1024, maxOutgoingMessageSize: 2048 });
    const { actorId } = await read(
      await post(`${served.url}/actors`, { query: { kind: "getOrCreate", name: "counter", key: [] } }, encoding),
      encoding,
    );
    const base = `${served.url}/actors/counter/${actorId}/actions`;

    const tooBig = await post(`${base}/echo`, { args: ["y".repeat(2000)] }, encoding);
    expect(tooBig.status).toBe(413);
    expect(await read(tooBig, encoding)).toMatchObject({ group: "message", code: "incoming_too_long", metadata: { limit: 1024 } });

    const outgoing = await post(`${base}/big`, { args: [4000] }, encoding);
    expect(outgoing.status).toBe(400);
    expect(await read(outgoing, encoding)).toMatchObject({ group: "message", code: "outgoing_too_long" });

    const garbage = await fetch(`${base}/echo`, {
      method: "POST",
      headers: { "x-troupe-encoding": encoding },
      body: new Uint8Array([0xff, 0xfe, 0x00]),
    });
    expect(garbage.status).toBe(400);
    expect(await read(garbage, encoding)).toMatchObject({ group: "message", code: "malformed" });

    const notArgs = await post(`${base}/echo`, { args: "x" }, encoding);
    expect(await read(notArgs, encoding)).toMatchObject({ group: "message", code: "malformed" });
    const badQuery = await post(`${served.url}/actors`, { query: { kind: "maybe", name: "counter" } }, encoding);
    expect(await read(badQuery, encoding)).toMatchObject({ group: "message", code: "malformed" });

    // Nothing above changed the actor.
    expect(await read(await post(`${base}/getCount`, { args: [] }, encoding), encoding)).toEqual({ output: 0 });
  });
});

describe.each(["json", "cbor"] as const)("HTTP queue sends (%s)", (encoding) => {
  test("send, send and wait for completion, canPublish, unknown queue", async () => {
    await using served = await serveActors();
    const { actorId } = await read(
      await post(`${served.url}/actors`, { query: { kind: "getOrCreate", name: "inbox", key: [] } }, encoding),
      encoding,
    );
    const base = `${served.url}/actors/inbox/${actorId}`;
    const sent = await post(`${base}/queue/jobs`, { body: { n: 1 } }, encoding);
    expect(sent.status).toBe(200);
    expect(await read(sent, encoding)).toEqual({});
    expect(await read(await post(`${base}/actions/take`, { args: [] }, encoding), encoding)).toEqual({ output: { n: 1 } });

    const waiting = post(`${base}/queue/jobs`, { body: { n: 21 }, options: { wait: true, timeout: 5_000 } }, encoding);
    expect(await read(await post(`${base}/actions/completeNext`, { args: [] }, encoding), encoding)).toEqual({ output: true });
    expect(await read(await waiting, encoding)).toEqual({ result: { status: "completed", response: { doubled: 42 } } });

    const timedOut = await post(`${base}/queue/jobs`, { body: { n: 2 }, options: { wait: true, timeout: 10 } }, encoding);
    expect(await read(timedOut, encoding)).toEqual({ result: { status: "timedOut" } });

    const denied = await post(`${base}/queue/jobs`, { body: { n: 3 } }, encoding, { "x-troupe-conn-params": params({ deny: true }) });
    expect(denied.status).toBe(403);
    expect(await read(denied, encoding)).toMatchObject({ group: "auth", code: "forbidden" });
    const unknown = await post(`${base}/queue/nowhere`, { body: 1 }, encoding);
    expect(await read(unknown, encoding)).toMatchObject({ group: "queue", code: "not_found" });
    const badOptions = await post(`${base}/queue/jobs`, { body: 1, options: { wait: "yes" } }, encoding);
    expect(await read(badOptions, encoding)).toMatchObject({ group: "message", code: "malformed" });
  });
});

describe("HTTP protocol edges", () => {
  test("unsupported encoding or version, unknown routes, WebSocket routes over plain HTTP", async () => {
    await using served = await serveActors();
    const encoding = await fetch(`${served.url}/actors`, { method: "POST", headers: { "x-troupe-encoding": "xml" }, body: "{}" });
    expect(encoding.status).toBe(400);
    expect(await encoding.json()).toMatchObject({ group: "protocol", code: "unsupported_encoding" });
    const version = await fetch(`${served.url}/health`, { headers: { "x-troupe-protocol": "9" } });
    expect(version.status).toBe(400);
    expect(await version.json()).toMatchObject({ group: "protocol", code: "unsupported_version" });
    const route = await fetch(`${served.url}/nowhere`);
    expect(route.status).toBe(404);
    expect(await route.json()).toMatchObject({ group: "request", code: "not_found" });
    const connect = await fetch(`${served.url}/actors/counter/x/connect`);
    expect(connect.status).toBe(426);
  });

  test("CORS: any origin by default, a list when configured, none when off", async () => {
    await using open = await serveActors();
    const preflight = await fetch(`${open.url}/actors`, {
      method: "OPTIONS",
      headers: {
        origin: "http://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "x-troupe-encoding",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-troupe-encoding");

    await using listed = await serveActors({ cors: { origin: ["http://ok.example"] } });
    const ok = await fetch(`${listed.url}/health`, { headers: { origin: "http://ok.example" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://ok.example");
    const other = await fetch(`${listed.url}/health`, { headers: { origin: "http://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(other.headers.get("vary")).toContain("Origin");
    // An action's response, and a raw response with immutable headers, get them too.
    const client = listed.client();
    const counterId = await client.counter.getOrCreate(["cors"]).resolve();
    const action = await fetch(`${listed.url}/actors/counter/${counterId}/actions/increment`, {
      method: "POST",
      headers: { origin: "http://ok.example", "content-type": "application/json", "x-troupe-encoding": "json" },
      body: JSON.stringify({ args: [1] }),
    });
    expect(action.status).toBe(200);
    expect(action.headers.get("access-control-allow-origin")).toBe("http://ok.example");
    const redirect = await client.raw.getOrCreate(["cors"]).fetch("/redirect", {
      redirect: "manual",
      headers: { origin: "http://ok.example" },
    });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("http://elsewhere.example/");
    expect(redirect.headers.get("access-control-allow-origin")).toBe("http://ok.example");

    await using off = await serveActors({ cors: false });
    const none = await fetch(`${off.url}/health`, { headers: { origin: "http://app.example" } });
    expect(none.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("registry.handler serves the same routes without a server", async () => {
    await using served = await serveActors();
    const health = await served.registry.handler(new Request("http://any.host/health"));
    expect(await health.json()).toMatchObject({ status: "ok" });
    const created = await served.registry.handler(
      new Request("http://any.host/actors", {
        method: "POST",
        body: JSON.stringify({ query: { kind: "getOrCreate", name: "counter", key: ["h"] } }),
      }),
    );
    const { actorId } = (await created.json()) as { actorId: string };
    const inc = await served.registry.handler(
      new Request(`http://any.host/actors/counter/${actorId}/actions/increment`, { method: "POST", body: JSON.stringify({ args: [3] }) }),
    );
    expect(await inc.json()).toEqual({ output: 3 });
  });
});
