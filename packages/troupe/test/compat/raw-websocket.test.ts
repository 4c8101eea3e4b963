// Item 3 of RivetKit compatibility: raw WebSockets and sleep. Async `message`/`close` handlers
// keep the actor awake and are waited for when it stops; raw sockets stay open through onSleep;
// a handler that outlives the grace period cannot crash the server; canHibernateWebSocket keeps a
// raw socket open while its actor sleeps, and its next message wakes the actor.

import { actor } from "troupe";
import { afterEach, describe, expect, test, vi } from "vitest";
import { until } from "../support/until.ts";
import { NETWORK_TARGETS, open, TARGETS } from "./harness.ts";

/** Released by the test: the async message handler waits on it. */
const gates = new Map<string, () => void>();
const gate = (name: string) => new Promise<void>((resolve) => gates.set(name, resolve));
const lateWrites: Array<Promise<void>> = [];

const chat = actor({
  state: { log: [] as string[], sleeps: 0 },
  createVars: () => ({ sockets: [] as WebSocket[] }),
  options: { sleepGracePeriod: 5_000 },
  onWebSocket: (c, socket) => {
    c.vars.sockets.push(socket);
    socket.addEventListener("message", async (event) => {
      const text = String(event.data);
      c.state.log.push(`start:${text}`);
      await gate(text);
      c.state.log.push(`finish:${text}`);
    });
    socket.onclose = async () => {
      await Promise.resolve();
      c.state.log.push("closed");
    };
    socket.send("ready");
  },
  onSleep: (c) => {
    c.state.sleeps++;
    for (const socket of c.vars.sockets) socket.send("bye");
  },
  actions: {
    log: (c) => c.state.log,
    sleeps: (c) => c.state.sleeps,
    nap: (c) => c.sleep(),
  },
});

/** Its handler writes state long after the grace period cut it off. */
const late = actor({
  state: { n: 0 },
  options: { sleepGracePeriod: 20 },
  onWebSocket: (c, socket) => {
    socket.onmessage = () => {
      const write = (async () => {
        await gate("late");
        c.state.n++; // the instance is gone by now
      })();
      lateWrites.push(write.catch(() => {}));
      return write;
    };
    socket.send("ready");
  },
  actions: { nap: (c) => c.sleep(), n: (c) => c.state.n },
});

const dozy = actor({
  state: { wakes: 0, sleeps: 0, got: [] as string[], socketConn: "", socketClosed: 0 },
  options: { canHibernateWebSocket: true, sleepTimeout: 1_000 },
  onWake: (c) => {
    c.state.wakes++;
  },
  onSleep: (c) => {
    c.state.sleeps++;
  },
  onDisconnect: (c, conn) => {
    if (conn.id === c.state.socketConn) c.state.socketClosed++;
  },
  onWebSocket: (c, socket) => {
    // Runs again on each wake that the socket needs, on the same connection; "open" fires once.
    c.state.socketConn = c.conn.id;
    socket.addEventListener("open", () => socket.send("welcome"));
    socket.addEventListener("message", (event) => {
      c.state.got.push(String(event.data));
      socket.send(`echo:${String(event.data)}:wakes=${c.state.wakes}`);
    });
  },
  actions: {
    destroy: (c) => c.destroy(),
    stats: (c) => ({
      wakes: c.state.wakes,
      sleeps: c.state.sleeps,
      got: c.state.got,
      socketClosed: c.state.socketClosed,
      socketConnOpen: c.conns.has(c.state.socketConn),
    }),
  },
});

function messages(socket: WebSocket): { seen: string[]; closed: Promise<number> } {
  const seen: string[] = [];
  socket.addEventListener("message", (event) => seen.push(String(event.data)));
  const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
  return { seen, closed };
}

describe.each(NETWORK_TARGETS)("raw WebSockets and sleep (%s)", (target) => {
  test("an async message handler is waited for when the actor sleeps; the socket stays open through onSleep", async () => {
    await using app = await open(target, { chat, late, dozy });
    const handle = app.client.chat.getOrCreate("room");
    const socket = await handle.webSocket();
    const { seen, closed } = messages(socket);
    await until("ready", () => seen.includes("ready"));
    socket.send("hello");
    await until("the handler started", async () => (await handle.log()).includes("start:hello"));
    const napping = handle.nap();
    await napping;
    await until("onSleep ran", () => seen.includes("bye")); // onSleep sent on the still-open socket
    gates.get("hello")!();
    expect(await closed).toBe(1001); // closed once the handler finished
    // The next call wakes the actor: the handler's writes made it into the final save.
    expect(await handle.log()).toEqual(["start:hello", "finish:hello", "closed"]);
    expect(await handle.sleeps()).toBe(1);
  });

  test("a handler that outlives the grace period cannot crash the server with its late write", async () => {
    await using app = await open(target, { chat, late, dozy });
    const handle = app.client.late.getOrCreate("l");
    const socket = await handle.webSocket();
    const { seen, closed } = messages(socket);
    await until("ready", () => seen.includes("ready"));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      socket.send("go");
      await until("the handler is waiting", () => gates.has("late"));
      await handle.nap();
      expect(await closed).toBe(1001);
      gates.get("late")!();
      await Promise.all(lateWrites);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(await handle.n()).toBe(0); // the write after the grace period did not land
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

/** A dozy actor whose raw socket is open and welcomed, put to sleep by its idle timer (faked). */
async function hibernating(
  app: Awaited<ReturnType<typeof open<{ chat: typeof chat; late: typeof late; dozy: typeof dozy }>>>,
  key: string,
) {
  const handle = app.client.dozy.getOrCreate(key);
  const id = await handle.resolve();
  const host = app.registry.runtime().host;
  const { seen, closed } = messages(await handle.webSocket());
  await until("welcome", () => seen.includes("welcome"));
  await vi.advanceTimersByTimeAsync(1_001);
  await until("the actor slept", () => !host.instances.has(id));
  return { handle, id, closed };
}

describe.each(TARGETS)("canHibernateWebSocket (%s)", (target) => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("a hibernatable raw socket stays open while the actor sleeps; a message wakes it and reaches its handlers", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    await using app = await open(target, { chat, late, dozy });
    const handle = app.client.dozy.getOrCreate("d");
    const id = await handle.resolve();
    const host = app.registry.runtime().host;
    const socket = await handle.webSocket();
    const { seen } = messages(socket);
    let closes = 0;
    socket.addEventListener("close", () => closes++);
    await until("welcome", () => seen.includes("welcome"));
    socket.send("one");
    await until("the echo", () => seen.includes("echo:one:wakes=1"));

    // The open socket does not keep the actor awake: the idle timer puts it to sleep.
    await vi.advanceTimersByTimeAsync(1_001);
    await until("the actor slept", () => !host.instances.has(id));
    expect(socket.readyState).toBe(socket.OPEN);

    socket.send("two");
    await until("the echo from the woken actor", () => seen.includes("echo:two:wakes=2"));
    expect(seen).toEqual(["welcome", "echo:one:wakes=1", "echo:two:wakes=2"]);
    expect(await handle.stats()).toEqual({ wakes: 2, sleeps: 1, got: ["one", "two"], socketClosed: 0, socketConnOpen: true });

    // Asleep again, the client closes: the actor wakes for it and its connection ends (onDisconnect).
    await vi.advanceTimersByTimeAsync(1_001);
    await until("the actor slept again", () => !host.instances.has(id));
    socket.close();
    await until("the close reached the actor", () => host.instances.has(id));
    await until("onDisconnect ran", async () => (await handle.stats()).socketClosed === 1);
    expect(await handle.stats()).toMatchObject({ wakes: 3, sleeps: 2, socketConnOpen: false });
    expect(closes).toBe(1);
  });

  test("a hibernating raw socket is closed going away (1001) when the registry shuts down", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const app = await open(target, { chat, late, dozy });
    const { closed } = await hibernating(app, "held");
    await app[Symbol.asyncDispose]();
    expect(await closed).toBe(1001);
  });

  test("a hibernating raw socket is closed (1000) when its actor is destroyed, without waking it again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    await using app = await open(target, { chat, late, dozy });
    const { handle, id, closed } = await hibernating(app, "gone");
    await handle.destroy();
    expect(await closed).toBe(1000);
    await expect(app.client.dozy.getForId(id).stats()).rejects.toMatchObject({ group: "actor", code: "not_found" });
  });
});
