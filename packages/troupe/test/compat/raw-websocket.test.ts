// Item 3 of RivetKit compatibility: raw WebSockets and sleep. Async `message`/`close` handlers
// keep the actor awake and are waited for when it stops; raw sockets stay open through onSleep;
// a handler that outlives the grace period cannot crash the server; canHibernateWebSocket.

import { actor } from "troupe";
import { describe, expect, test } from "vitest";
import { until } from "../support/until.ts";
import { NETWORK_TARGETS, open } from "./harness.ts";

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
  state: { wakes: 0 },
  options: { canHibernateWebSocket: true, sleepTimeout: 50 },
  onWake: (c) => {
    c.state.wakes++;
  },
  onWebSocket: (_c, socket) => socket.send("ready"),
  actions: { wakes: (c) => c.state.wakes },
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

  test("canHibernateWebSocket: an open raw socket does not keep the actor awake", async () => {
    await using app = await open(target, { chat, late, dozy });
    const handle = app.client.dozy.getOrCreate("d");
    const socket = await handle.webSocket();
    const { seen, closed } = messages(socket);
    await until("ready", () => seen.includes("ready"));
    expect(await closed).toBe(1001); // the idle actor slept with the socket open
    expect(await handle.wakes()).toBeGreaterThanOrEqual(2); // woken again by the call
  });
});
