// Senders waiting for their message's completion (`send(..., { wait: true })`). They belong to
// the host, not to an instance: a message may be completed by a later activation of the actor,
// after the one that took it in went to sleep.

import { copyValue } from "../../actor/copy.ts";
import { type FeatureServices, featureKey } from "../../actor/feature.ts";
import type { SendResult } from "../../protocol/query.ts";
import { ActorError } from "../../base/errors.ts";
import { unrefTimeout } from "../../base/timers.ts";

/** Wait this long for a completion when the sender gives no timeout. */
export const DEFAULT_WAIT_TIMEOUT = 60_000;

interface Waiter {
  resolve(result: SendResult): void;
  reject(error: unknown): void;
}

export class CompletionWaiters {
  readonly #waiting = new Map<string, Set<Waiter>>();

  /** Waits for message `id` of `actorId`; `{ status: "timedOut" }` after `timeout` ms. */
  wait(actorId: string, id: number, timeout = DEFAULT_WAIT_TIMEOUT, signal?: AbortSignal): Promise<SendResult> {
    const slot = `${actorId}/${id}`;
    return new Promise((resolve, reject) => {
      let set = this.#waiting.get(slot);
      if (!set) {
        set = new Set();
        this.#waiting.set(slot, set);
      }
      const done = () => {
        timer.cancel();
        signal?.removeEventListener("abort", onAbort);
        set.delete(waiter);
        if (set.size === 0 && this.#waiting.get(slot) === set) this.#waiting.delete(slot);
      };
      const waiter: Waiter = {
        resolve: (result) => {
          done();
          resolve(result);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = () => waiter.reject(new ActorError("actor", "aborted", "The wait for completion was aborted by its signal."));
      const timer = unrefTimeout(() => waiter.resolve({ status: "timedOut" }), timeout);
      set.add(waiter);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Whether anyone waits for message `id` (so that a completion response is worth keeping). */
  has(actorId: string, id: number): boolean {
    return this.#waiting.has(`${actorId}/${id}`);
  }

  complete(actorId: string, id: number, response: unknown): void {
    for (const waiter of [...(this.#waiting.get(`${actorId}/${id}`) ?? [])]) {
      waiter.resolve(response === undefined ? { status: "completed" } : { status: "completed", response: copyValue(response) });
    }
  }

  fail(actorId: string, id: number, error: unknown): void {
    for (const waiter of [...(this.#waiting.get(`${actorId}/${id}`) ?? [])]) waiter.reject(error);
  }

  /** Fails every waiter of `actorId` (the actor was destroyed). */
  failActor(actorId: string, error: unknown): void {
    const prefix = `${actorId}/`;
    for (const [slot, set] of [...this.#waiting]) if (slot.startsWith(prefix)) for (const waiter of [...set]) waiter.reject(error);
  }
}

const WAITERS = featureKey<CompletionWaiters>("queue.waiters");

/** The waiters of the host the actor runs on (one process's set of actors). */
export function waitersOf(services: FeatureServices): CompletionWaiters {
  return services.shared(WAITERS, () => new CompletionWaiters());
}
