import { actor, event, setup, UserError } from "troupe";
import type { ActorConnMethods } from "troupe/client";
import { setupTest } from "troupe/test";
import { expect, test, vi } from "vitest";

const log: string[] = [];
const room = actor({
  state: { messages: [] as string[] },
  createConnState: (_c, params: { name?: string; reject?: boolean } | undefined) => {
    log.push(`createConnState:${params?.name}`);
    return { name: params?.name ?? "anonymous", sent: 0 };
  },
  onBeforeConnect: (c, params) => {
    log.push(`onBeforeConnect:${params?.name}:${c.conns.size}`);
    if (params?.reject) throw new UserError("not allowed", { code: "rejected", metadata: { why: "test" } });
  },
  onConnect: (c, conn) => {
    log.push(`onConnect:${conn.state.name}:${c.conns.size}`);
    conn.send("welcome", conn.state.name);
  },
  onDisconnect: (_c, conn) => {
    log.push(`onDisconnect:${conn.state.name}`);
  },
  actions: {
    say: (c, text: string) => {
      c.state.messages.push(text);
      c.conn.state.sent++;
      c.broadcast("message", { from: c.conn.state.name, text });
      return c.conn.state.sent;
    },
    whisper: (c, to: string, text: string) => {
      const target = c.conns.get(to);
      target?.send("whisper", { from: c.conn.id, text });
      return target !== undefined;
    },
    me: (c) => ({ id: c.conn.id, name: c.conn.state.name }),
    connCount: (c) => c.conns.size,
    kick: async (c, id: string) => {
      await c.conns.get(id)?.disconnect("kicked");
    },
  },
});
const registry = setup({ use: { room } });

test("connection hooks run in order; broadcasts reach subscribers in order", async () => {
  log.length = 0;
  const t = setupTest(registry);
  const handle = t.client.room.getOrCreate("r");
  const alice = handle.connect({ name: "alice" });
  const welcomes: unknown[] = [];
  alice.on("welcome", (name) => welcomes.push(name));
  const seen: unknown[] = [];
  alice.on("message", (m) => seen.push(m));
  await alice.ready;
  expect(alice.connStatus).toBe("connected");
  expect(log).toEqual(["onBeforeConnect:alice:0", "createConnState:alice", "onConnect:alice:1"]);

  const bob = handle.connect({ name: "bob" });
  const bobSeen: unknown[] = [];
  bob.on("message", (m) => bobSeen.push(m));
  await bob.ready;
  for (let i = 0; i < 5; i++) await alice.say(`m${i}`);
  // A stateless call from a handle broadcasts too.
  await handle.say("from-handle");
  expect(seen.map((m) => (m as { text: string }).text)).toEqual(["m0", "m1", "m2", "m3", "m4", "from-handle"]);
  expect(bobSeen).toEqual(seen);
  // Sent from onConnect, delivered once the new actor's first commit landed.
  expect(welcomes).toEqual(["alice"]);
  expect(await alice.say("again")).toBe(6);
  // alice, bob, and the stateless call's own connection (one of c.conns while it runs).
  expect(await handle.connCount()).toBe(3);
  await bob.dispose();
  expect(bob.connStatus).toBe("idle");
  expect(log).toContain("onDisconnect:bob");
  expect(await handle.connCount()).toBe(2); // alice and the call's own
});

test("once fires once and unsubscribing stops delivery", async () => {
  const t = setupTest(registry);
  const conn = t.client.room.getOrCreate("o").connect({ name: "c" });
  const once: unknown[] = [];
  const all: unknown[] = [];
  conn.once("message", (m) => once.push(m));
  const off = conn.on("message", (m) => all.push(m));
  await conn.say("a");
  off();
  await conn.say("b");
  expect(once).toHaveLength(1);
  expect(all).toHaveLength(1);
});

test("a throwing onBeforeConnect rejects the connection with its error; onDisconnect does not run", async () => {
  log.length = 0;
  const t = setupTest(registry);
  const conn = t.client.room.getOrCreate("rej").connect({ name: "mallory", reject: true });
  const errors: unknown[] = [];
  conn.onError((e) => errors.push(e));
  await expect(conn.say("hi")).rejects.toMatchObject({ group: "user", code: "rejected", metadata: { why: "test" } });
  expect(errors).toHaveLength(1);
  await expect(conn.ready).rejects.toMatchObject({ code: "rejected" });
  expect(conn.connStatus).toBe("idle");
  expect(log).not.toContain("createConnState:mallory");
  expect(log).not.toContain("onDisconnect:mallory");
  // Only the stateless call's own connection: the rejected one never joined.
  expect(await t.client.room.getOrCreate("rej").connCount()).toBe(1);
});

test("stateless calls get a connection of their own with the handle's params", async () => {
  log.length = 0;
  const t = setupTest(registry);
  const handle = t.client.room.getOrCreate("s", { params: { name: "stateless" } });
  expect(await handle.me()).toMatchObject({ name: "stateless" });
  await handle.me();
  expect(log.filter((l) => l.startsWith("onConnect:stateless"))).toHaveLength(2);
  expect(log.filter((l) => l.startsWith("onDisconnect:stateless"))).toHaveLength(2);
});

test("conn.send reaches one connection; conn.disconnect closes it", async () => {
  const t = setupTest(registry);
  const handle = t.client.room.getOrCreate("w");
  const a = handle.connect({ name: "a" });
  const b = handle.connect({ name: "b" });
  const whispers: unknown[] = [];
  b.on("whisper", (w) => whispers.push(w));
  await Promise.all([a.ready, b.ready]);
  expect(await a.whisper(b.connId as string, "psst")).toBe(true);
  expect(whispers).toEqual([{ from: a.connId, text: "psst" }]);
  const closed: string[] = [];
  b.onClose((reason) => closed.push(reason));
  await handle.kick(b.connId as string);
  expect(closed).toEqual(["kicked"]);
  expect(b.connStatus).toBe("disconnected");
  await a.dispose();
});

test("connections stay open while the actor sleeps and receive events after it wakes", async () => {
  vi.useFakeTimers();
  try {
    const t = setupTest(registry);
    const handle = t.client.room.getOrCreate("sleepy");
    const conn = handle.connect({ name: "z" });
    const seen: unknown[] = [];
    conn.on("message", (m) => seen.push(m));
    await conn.ready;
    const id = await handle.resolve();
    await t.sleep(id);
    expect(t.host.instances.has(id)).toBe(false);
    await conn.say("after wake");
    expect(seen).toEqual([{ from: "z", text: "after wake" }]);
    await conn.dispose();
  } finally {
    vi.useRealTimers();
  }
});

test("a declared event's canSubscribe decides who may subscribe; a refusal reaches onError", async () => {
  const guarded = actor({
    state: {},
    onBeforeConnect: (_c, _params: { role: string }) => {},
    events: {
      open: event(),
      staff: event<string>({ canSubscribe: (c) => (c.conn.params as { role?: string } | undefined)?.role === "staff" }),
    },
    actions: {
      announce: (c, text: string) => {
        c.broadcast("open", text);
        c.broadcast("staff", text);
        c.broadcast("undeclared", text);
      },
    },
  });
  const t = setupTest(setup({ use: { guarded } }));
  const handle = t.client.guarded.getOrCreate("g");
  const guest = handle.connect({ role: "guest" });
  const staff = handle.connect({ role: "staff" });
  const seen = { guest: [] as unknown[], staff: [] as unknown[], errors: [] as unknown[] };
  guest.onError((e) => seen.errors.push(e));
  // "undeclared" is no declared event, which the typed `on` refuses; at run time it still arrives.
  for (const name of ["open", "staff", "undeclared"]) {
    (guest as ActorConnMethods).on(name, (text) => seen.guest.push(`${name}:${text}`));
    (staff as ActorConnMethods).on(name, (text) => seen.staff.push(`${name}:${text}`));
  }
  await Promise.all([guest.ready, staff.ready]);
  await guest.announce("hi");
  expect(seen.staff).toEqual(["open:hi", "staff:hi", "undeclared:hi"]);
  expect(seen.guest).toEqual(["open:hi", "undeclared:hi"]);
  expect(seen.errors).toEqual([expect.objectContaining({ group: "auth", code: "forbidden" })]);
  await Promise.all([guest.dispose(), staff.dispose()]);
});
