// A receive from the actor's queue: it takes what is there, or waits for messages (for a time, until
// aborted); a run loop that waits here counts as idle.

import { errors } from "../../base/errors.ts";
import { type Timer, unrefTimeout } from "../../base/timers.ts";
import { RUN } from "../run/plugin.ts";
import type { Demand, Owner } from "./delivery.ts";
import type { Dispatcher, WaitingReceive } from "./dispatcher.ts";
import { queueErrors } from "./errors.ts";
import type { QueueFeature } from "./feature.ts";
import type { QueueMessage } from "./types.ts";

export interface ReceiveRequest {
  names?: readonly string[];
  count: number;
  completable: boolean;
  /** Wait for a message (ms; Infinity for no limit); 0 returns at once. */
  wait: number;
  signal?: AbortSignal;
}

/** Takes up to `count` messages for `owner`, waiting for the first one if asked to. */
export async function receive(queue: QueueFeature, owner: Owner, request: ReceiveRequest): Promise<QueueMessage[]> {
  const dispatcher = await queue.dispatcher();
  const held = dispatcher.state.held(owner);
  if (held.length > 0) throw queueErrors.previousNotCompleted(held);
  // A stopping actor takes no more work from a backlog: a consumer that would wait (a run loop)
  // ends now, as it would had the queue been empty, so the stop waits only for work in flight.
  const { status } = queue.instance;
  if (request.wait > 0 && (status === "stopping" || status === "stopped")) throw errors.aborted();
  const names = request.names ? new Set(request.names) : undefined;
  const demand: Demand = { owner, names, count: request.count, completable: request.completable };
  let messages = dispatcher.take(demand);
  // Stored pages are read while the demand is short. No await follows the last take: a message
  // sent meanwhile would be dispatched before this receive waits for it, and missed.
  const { pending } = dispatcher.store;
  while (messages.length < demand.count && pending.unread) {
    await pending.readPage();
    messages = messages.concat(dispatcher.take({ ...demand, count: demand.count - messages.length }));
  }
  if (messages.length === 0 && request.wait > 0) {
    // A run loop blocked here counts as idle: the actor may sleep, and a new message wakes it.
    const run = queue.instance.feature(RUN);
    const signals = [queue.instance.abortSignal, request.signal].filter((s) => s !== undefined);
    const waiting = waitFor(dispatcher, demand, signals, request.wait);
    messages = await (run ? run.idleWhile(owner, waiting) : waiting);
  }
  // A completable delivery is counted durably before the consumer acts on it, so that a message
  // that crashes the process every time still reaches the dead letters.
  if (request.completable && messages.length > 0) await queue.instance.whenDurable();
  return messages;
}

/** Waits until the dispatcher delivers to `demand`; [] after `wait` ms, `actor.aborted` if a signal aborts. */
function waitFor(dispatcher: Dispatcher, demand: Demand, signals: AbortSignal[], wait: number): Promise<QueueMessage[]> {
  return new Promise((resolve, reject) => {
    let timer: Timer | undefined;
    const finish = () => {
      timer?.cancel();
      for (const s of signals) s.removeEventListener("abort", onAbort);
      dispatcher.state.cancel(receive);
    };
    const onAbort = () => {
      finish();
      reject(errors.aborted());
    };
    const receive: WaitingReceive = {
      ...demand,
      deliver: (messages) => {
        finish();
        resolve(messages);
      },
    };
    if (signals.some((s) => s.aborted)) return reject(errors.aborted());
    for (const s of signals) s.addEventListener("abort", onAbort, { once: true });
    if (Number.isFinite(wait)) {
      timer = unrefTimeout(() => {
        finish();
        resolve([]);
      }, wait);
    }
    dispatcher.state.wait(receive);
  });
}
