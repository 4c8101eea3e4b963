// The `run` handler: a background loop started after every wake (e.g. an agent consuming its
// queue). It keeps the actor awake while it works, but not while it only waits on the queue.

import type { MaybePromise } from "../../actor/config.ts";
import type { ActorContext } from "../../actor/context.ts";
import type { Feature, FeatureServices } from "../../actor/feature.ts";
import { errors, isErrorCode } from "../../base/errors.ts";

export type RunHandler<Ctx = ActorContext> = (c: Ctx) => MaybePromise<void>;

/** `run: async (c) => {...}`, or the same with a display name and icon for the inspector. */
export type RunConfig<Ctx = ActorContext> = RunHandler<Ctx> | { run: RunHandler<Ctx>; name?: string; icon?: string };

export function runHandlerOf(config: RunConfig | undefined): RunHandler | undefined {
  if (config === undefined) return undefined;
  return typeof config === "function" ? config : config.run;
}

export class RunFeature implements Feature {
  readonly #instance: FeatureServices;
  readonly #handler: RunHandler;
  #ctx: ActorContext | undefined;
  #running: Promise<void> | undefined;
  #finished = false;
  /** Queue waits of the run loop in progress; at least one means the loop is idle. */
  #waits = 0;
  /** Ends the keepAwake that marks the loop as busy. */
  #release: (() => void) | undefined;

  constructor(instance: FeatureServices, handler: RunHandler) {
    this.#instance = instance;
    this.#handler = handler;
  }

  afterStart(): void {
    const ctx = this.#instance.context();
    this.#ctx = ctx;
    this.#busy();
    this.#running = this.#run(ctx);
  }

  async #run(ctx: ActorContext): Promise<void> {
    const log = this.#instance.log;
    try {
      await this.#handler(ctx);
      if (this.#instance.status === "running") log.info("run handler returned; the actor goes to sleep");
    } catch (error) {
      if (this.#instance.status !== "running" && isErrorCode(error, "actor", "aborted"))
        log.debug("run handler ended by the actor stopping");
      else log.error({ err: error }, "run handler failed; the actor goes to sleep");
    } finally {
      this.#finished = true;
      this.#idle();
      this.#instance.contextEnded(ctx);
      if (this.#instance.status === "running") this.#instance.requestStop("sleep", "run_ended");
    }
  }

  /** While the run loop waits on `promise` (a queue receive), the actor counts as idle. */
  idleWhile<T>(owner: object, promise: Promise<T>): Promise<T> {
    if (owner !== this.#ctx || this.#finished) return promise;
    if (this.#waits++ === 0) this.#idle();
    return promise.finally(() => {
      if (--this.#waits === 0 && !this.#finished) this.#busy();
    });
  }

  /** Whether the loop is running code now (not waiting on the queue), for the inspector. */
  get busy(): boolean {
    return this.#release !== undefined;
  }

  stopping(): void {
    // The stop sequence waits for the loop to end (within the grace period) after c.abortSignal fired.
    if (this.#running) this.#instance.waitUntil(this.#running);
  }

  #busy(): void {
    if (this.#release) return;
    void this.#instance.keepAwake(
      new Promise<void>((resolve) => {
        this.#release = resolve;
      }),
    );
  }

  #idle(): void {
    this.#release?.();
    this.#release = undefined;
  }
}

/** Checks the `run` key of an actor definition. */
export function validateRun(run: unknown): void {
  if (run !== undefined && typeof run !== "function" && typeof (run as { run?: unknown } | null)?.run !== "function") {
    throw errors.config("`run` must be a function, or an object with a `run` function.");
  }
}
