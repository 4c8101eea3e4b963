// Raw handlers: `onRequest` answers plain HTTP requests and `onWebSocket` takes plain WebSockets,
// for actors that speak their own protocol instead of actions and events.

import { ActorError, errors } from "../base/errors.ts";
import { withTimeout } from "../base/timers.ts";
import type { Conn } from "./conn.ts";
import type { ActorInstance } from "./instance.ts";

/** Fails with `actor.handler_not_found` before any connection hook runs for a handler the actor lacks. */
export function assertHandler(instance: ActorInstance, hook: "onRequest" | "onWebSocket"): void {
  if (instance.def.config[hook] === undefined) {
    throw new ActorError("actor", "handler_not_found", `Actor "${instance.name}" defines no ${hook} handler.`, {
      metadata: { hook },
    });
  }
}

/** Runs `onRequest`, bounded by the action timeout; the response waits for the writes it made. */
export async function handleRequest(instance: ActorInstance, conn: Conn, request: Request): Promise<Response> {
  assertHandler(instance, "onRequest");
  if (instance.status !== "running") throw errors.stopping();
  const hook = instance.def.config.onRequest!;
  const timeout = instance.def.options.actionTimeout;
  try {
    const pending = instance.keepAwake(Promise.resolve().then(() => hook(instance.context(conn), request)));
    const response = await withTimeout(pending, timeout, () => errors.actionTimedOut("onRequest", timeout));
    if (!(response instanceof Response)) throw new TypeError(`onRequest must return a Response, got ${typeof response}.`);
    await instance.whenDurable();
    return response;
  } catch (error) {
    throw instance.publicError(error, "onRequest failed");
  }
}

/** A socket that reports what its listeners return (server/raw-web-socket.ts). */
interface TrackedSocket {
  trackListeners?(track: (work: Promise<unknown>) => void): void;
}

/**
 * Hands `socket` to `onWebSocket`. An open socket keeps the actor awake (unless the actor's
 * `canHibernateWebSocket` says it may sleep); async `message`/`close` handlers keep it awake and
 * are waited for when it stops. The socket stays open through `onSleep`/`onDestroy`; once they and
 * the in-flight work are over, a socket that may hibernate is handed to `hibernate` when the actor
 * sleeps (the host keeps it open, and the next frame wakes the actor), and any other is closed
 * (1001), since its handlers live in this instance only.
 */
export async function handleWebSocket(
  instance: ActorInstance,
  conn: Conn,
  socket: WebSocket,
  request?: Request,
  hibernate?: () => void,
): Promise<void> {
  assertHandler(instance, "onWebSocket");
  const hook = instance.def.config.onWebSocket!;
  const canSleep = mayHibernate(instance, request);
  let held = !canSleep;
  if (held) instance.begin();
  const release = () => {
    if (!held) return;
    held = false;
    instance.end();
  };
  (socket as TrackedSocket).trackListeners?.((work) => {
    instance.keepAwake(work).catch((error: unknown) => instance.log.warn({ err: error }, "a raw WebSocket handler failed"));
  });
  let closed: () => void = () => {};
  const whenClosed = new Promise<void>((resolve) => (closed = resolve));
  // When the actor starts to stop, the open socket no longer holds it; it closes after the hooks.
  const unregister = instance.closeAtStop(() => {
    if (canSleep && hibernate && instance.stopKind === "sleep" && socket.readyState === socket.OPEN) {
      // From now on this instance's listeners get nothing: the next one's onWebSocket takes the socket.
      hibernate();
      return Promise.resolve();
    }
    socket.close(1001, "actor.stopping");
    return whenClosed;
  });
  instance.abortSignal.addEventListener("abort", release, { once: true });
  socket.addEventListener("close", () => {
    // Resolved now, continued after every close listener ran (and their async work is tracked).
    closed();
    release();
    unregister();
    instance.abortSignal.removeEventListener("abort", release);
    // The socket belongs to this instance: its onDisconnect runs here, even while it stops.
    void instance.connections.disconnect(conn, "closed");
  });
  try {
    await instance.keepAwake(Promise.resolve().then(() => hook(instance.context(conn), socket)));
  } catch (error) {
    throw instance.publicError(error, "onWebSocket failed");
  }
}

function mayHibernate(instance: ActorInstance, request: Request | undefined): boolean {
  const option = instance.def.options.canHibernateWebSocket;
  if (typeof option === "function") return request !== undefined && option(request) === true;
  return option === true;
}
