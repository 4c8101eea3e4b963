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

/**
 * Hands `socket` to `onWebSocket`. An open socket keeps the actor awake; when the actor starts
 * to stop it closes the socket (1001), since its handlers live in this instance only.
 */
export async function handleWebSocket(instance: ActorInstance, conn: Conn, socket: WebSocket): Promise<void> {
  assertHandler(instance, "onWebSocket");
  const hook = instance.def.config.onWebSocket!;
  const closeOnStop = () => socket.close(1001, "actor.stopping");
  const closed = new Promise<void>((resolve) => {
    socket.addEventListener("close", () => {
      instance.abortSignal.removeEventListener("abort", closeOnStop);
      // The socket belongs to this instance: its onDisconnect runs here, even while it stops.
      void instance.connections.disconnect(conn, "closed").finally(resolve);
    });
  });
  void instance.keepAwake(closed);
  instance.abortSignal.addEventListener("abort", closeOnStop, { once: true });
  try {
    await instance.keepAwake(Promise.resolve().then(() => hook(instance.context(conn), socket)));
  } catch (error) {
    throw instance.publicError(error, "onWebSocket failed");
  }
}
