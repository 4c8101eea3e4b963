// Item 5 of RivetKit compatibility: connections. Every stateless call runs on a connection of its
// own that is in `c.conns` from onConnect on; a WebSocket message over the limit rejects its call
// with `message.incoming_too_long`; in-process raw requests answer with the statuses the server gives.

import { actor, forbiddenError } from "troupe";
import { describe, expect, test } from "vitest";
import { until } from "../support/until.ts";
import { NETWORK_TARGETS, open, TARGETS } from "./harness.ts";

const room = actor({
  state: { seenInOnConnect: [] as boolean[] },
  createConnState: (_c, params: { deny?: boolean } | undefined) => ({ deny: params?.deny === true }),
  onBeforeConnect: (_c, params: { deny?: boolean } | undefined) => {
    if (params?.deny) throw forbiddenError("No entry.");
  },
  onConnect: (c, conn) => {
    c.state.seenInOnConnect.push(c.conns.get(conn.id) === conn);
  },
  onRequest: (c) => Response.json({ conns: c.conns.size }),
  actions: {
    inConns: (c) => c.conns.has(c.conn.id),
    size: (c) => c.conns.size,
    seen: (c) => c.state.seenInOnConnect,
    echo: (_c, value: string) => value.length,
  },
});

/** No connection hooks at all: a stateless call still has its own connection in c.conns. */
const bare = actor({
  actions: { inConns: (c) => c.conns.has(c.conn.id) && c.conns.get(c.conn.id) === c.conn, size: (c) => c.conns.size },
  onRequest: () => undefined as unknown as Response,
});

const noHandler = actor({ actions: { ping: () => "pong" } });

describe.each(TARGETS)("connections (%s)", (target) => {
  test("a stateless call's own connection is in c.conns from onConnect on, and leaves when the call ends", async () => {
    await using app = await open(target, { room, bare, noHandler });
    const handle = app.client.room.getOrCreate("r");
    expect(await handle.inConns()).toBe(true);
    expect(await handle.seen()).toEqual([true, true]);
    expect(await handle.size()).toBe(1);
    const conn = handle.connect();
    expect(await conn.size()).toBe(1); // the held connection only: the stateless calls' are gone
    expect(await handle.size()).toBe(2);
    await conn.dispose();
    expect(await app.client.bare.getOrCreate("b").inConns()).toBe(true);
    expect(await app.client.bare.getOrCreate("b").size()).toBe(1);
    expect(await (await handle.fetch("/")).json()).toEqual({ conns: 1 });
  });

  test("a getParams that fails once is reported to onError, and the connection opens on the retry", async () => {
    await using app = await open(target, { room, bare, noHandler });
    let calls = 0;
    const getParams = () => {
      calls++;
      if (calls === 1) throw new Error("token not ready");
      return { deny: false };
    };
    const conn = app.client.room.getOrCreate("p", { getParams }).connect();
    const errors: unknown[] = [];
    conn.onError((error) => errors.push(error));
    if (target === "in-process") {
      // In-process, a call made meanwhile waits for the retry.
      expect(await conn.inConns()).toBe(true);
    } else {
      // Over the network, as in RivetKit, the call queued before the failure rejects with it.
      await expect(conn.inConns()).rejects.toMatchObject({ group: "client", code: "get_params_failed" });
      await until("the retry opened it", () => conn.connStatus === "connected");
      expect(await conn.inConns()).toBe(true);
    }
    expect(errors).toEqual([expect.objectContaining({ group: "client", code: "get_params_failed" })]);
    await conn.dispose();
  });

  test("raw requests answer 403, 404 and 500 as responses, in-process as over the network", async () => {
    await using app = await open(target, { room, bare, noHandler });
    const refused = await app.client.room.getOrCreate("r", { params: { deny: true } }).fetch("/");
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ group: "auth", code: "forbidden" });
    expect((await app.client.noHandler.getOrCreate("n").fetch("/")).status).toBe(404);
    expect((await app.client.bare.getOrCreate("v").fetch("/")).status).toBe(500);
  });
});

describe.each(NETWORK_TARGETS)("connections over the network (%s)", (target) => {
  test("a message over the incoming limit rejects its call with message.incoming_too_long", async () => {
    await using app = await open(target, { room, bare, noHandler }, { maxIncomingMessageSize: 2_048 });
    const conn = app.client.room.getOrCreate("big").connect();
    expect(await conn.echo("small")).toBe(5);
    await expect(conn.echo("x".repeat(10_000))).rejects.toMatchObject({ group: "message", code: "incoming_too_long" });
    await conn.dispose();
  });
});
