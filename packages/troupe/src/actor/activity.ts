// What keeps an actor awake: actions, hooks and keepAwake promises in flight (it is idle at 0),
// waitUntil promises a stop waits for, and the abort signal a stop fires. The instance extends it.

import { errors } from "../base/errors.ts";
import type { Logger } from "pino";
import type { InstanceStatus } from "./feature.ts";

/** keepAwake promises in flight, per instance that has any: kept aside, so that an instance holds no slot for them. */
const keepAwakes = new WeakMap<Activity, number>();

export abstract class Activity {
  status: InstanceStatus = "starting";
  /** In-flight actions, hooks and keepAwake promises; the actor is idle at 0. */
  active = 0;
  #abort: AbortController | undefined;
  #waitUntil: Set<Promise<unknown>> | undefined;
  #drained: Array<() => void> | undefined;

  abstract get log(): Logger;
  /** The actor became idle while running. */
  protected abstract idle(): void;

  begin(): void {
    this.active++;
  }

  end(): void {
    this.active--;
    if (this.active > 0) return;
    if (this.status === "running") this.idle();
    this.#checkDrained();
  }

  keepAwake<T>(promise: Promise<T>): Promise<T> {
    this.begin();
    keepAwakes.set(this, this.keepAwakes + 1);
    const done = () => {
      const left = this.keepAwakes - 1;
      if (left > 0) keepAwakes.set(this, left);
      else keepAwakes.delete(this);
      this.end();
    };
    promise.then(done, done);
    return promise;
  }

  waitUntil(promise: Promise<unknown>): void {
    const set = (this.#waitUntil ??= new Set());
    const tracked = Promise.resolve(promise)
      .catch((error: unknown) => this.log.warn({ err: error }, "actor wait_until promise rejected"))
      .finally(() => {
        set.delete(tracked);
        this.#checkDrained();
      });
    set.add(tracked);
  }

  /** The keepAwake promises among the in-flight work, for the inspector. */
  get keepAwakes(): number {
    return keepAwakes.get(this) ?? 0;
  }

  /** Promises a stop will wait for (waitUntil), for the inspector. */
  get pendingWaits(): number {
    return this.#waitUntil?.size ?? 0;
  }

  get abortSignal(): AbortSignal {
    if (this.#abort === undefined) {
      this.#abort = new AbortController();
      // Asked for the first time after the stop began: it is aborted already.
      if (this.status === "stopping" || this.status === "stopped") this.#abort.abort(errors.aborted());
    }
    return this.#abort.signal;
  }

  /** Fires the abort signal: always with `reason` when given, else only if someone asked for it. */
  protected abort(reason?: unknown): void {
    if (reason !== undefined) (this.#abort ??= new AbortController()).abort(reason);
    else this.#abort?.abort(errors.aborted());
  }

  #checkDrained(): void {
    if (this.active > 0 || (this.#waitUntil?.size ?? 0) > 0) return;
    const waiters = this.#drained;
    this.#drained = undefined;
    for (const w of waiters ?? []) w();
  }

  /** Resolves once nothing is in flight and no waitUntil promise is pending. */
  protected drain(): Promise<void> {
    if (this.active === 0 && (this.#waitUntil?.size ?? 0) === 0) return Promise.resolve();
    return new Promise((resolve) => (this.#drained ??= []).push(resolve));
  }
}
