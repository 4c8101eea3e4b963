// The workflow feature of an actor whose `run` is a workflow: runs the workflow for the run
// handler, turns its durable waits into the actor's alarm and its idle time into the run loop's
// idleness (so the actor may sleep while the workflow waits), and evicts it when the actor stops.

import type { ActorContext } from "../../actor/context.ts";
import type { Feature, FeatureServices } from "../../actor/feature.ts";
import { RUN, type RunFeature } from "../run/plugin.ts";
import { ActorWorkflowHost } from "./actor-host.ts";
import { WorkflowContext } from "./context.ts";
import { History } from "./engine/history.ts";
import { WORKFLOW_PREFIX } from "./engine/records.ts";
import { WorkflowRun } from "./engine/run.ts";
import type { WorkflowFn, WorkflowOptions } from "./types.ts";

/**
 * While the workflow runs code, its alarm stays a little ahead of now, so that if the process dies
 * the actor is woken to resume it. Each time it comes due with the code still running it is put
 * off twice as far, up to RECOVER_MAX_MS: a long step costs a few writes, not one a second.
 */
const RECOVER_FIRST_MS = 1_000;
const RECOVER_MAX_MS = 30_000;

export class WorkflowFeature implements Feature {
  readonly #instance: FeatureServices;
  #run: WorkflowRun | undefined;
  #ctx: ActorContext | undefined;
  #ready: Promise<void> = Promise.resolve();
  /** The workflow completed, failed or is blocked: nothing more to do in this activation. */
  #done = false;
  #stopping = false;
  /** The alarm to keep once the workflow is evicted (null: none). */
  #kept: number | null | undefined;
  #busy = false;
  #recoverAt = 0;
  #recoverEvery = RECOVER_FIRST_MS;
  /** Ends the run loop's idle period (see RunFeature.idleWhile). */
  #endIdle: (() => void) | undefined;
  #refreshQueued = false;

  constructor(instance: FeatureServices) {
    this.#instance = instance;
  }

  /** Runs the workflow; called by its run handler after every wake. */
  async run(ctx: ActorContext, fn: WorkflowFn<never, never>, options: WorkflowOptions): Promise<void> {
    const instance = this.#instance;
    let loaded = () => {};
    this.#ready = new Promise((resolve) => {
      loaded = resolve;
    });
    let run: WorkflowRun;
    try {
      const host = new ActorWorkflowHost(instance, ctx, options, () => this.#changed());
      const stored = await instance.list({ prefix: WORKFLOW_PREFIX });
      if (this.#stopping || ctx.aborted) return;
      run = new WorkflowRun(host, History.decode(host.sink, stored), (scope) => new WorkflowContext(scope, host));
      this.#run = run;
      this.#ctx = ctx;
      // A stop begins with the abort signal: evict the run then, while it is still as the stop
      // found it. The abort also rejects the queue receive it waits in, which would make it look
      // busy (as if it ran code) by the time stopping() is called, some turns later.
      ctx.abortSignal.addEventListener("abort", () => this.#evict(), { once: true });
    } finally {
      loaded();
    }
    const result = await run.execute(fn);
    if (result.status === "evicted") return;
    this.#done = true;
    this.#changed();
    if (result.status === "failed") instance.log.warn({ err: result.error }, "workflow failed; the actor sleeps until woken");
    else if (result.status === "blocked") {
      instance.log.error(
        { err: result.error },
        "workflow blocked: its code does not match its history; it resumes on a wake once the code is fixed",
      );
    }
    // Over: the actor idles to sleep like any other, rather than stopping at once.
    const idle = new Promise<void>((resolve) => ctx.abortSignal.addEventListener("abort", () => resolve(), { once: true }));
    await (this.#runFeature()?.idleWhile(ctx, idle) ?? idle);
  }

  nextAlarm(): number | undefined {
    if (this.#kept !== undefined) return this.#kept ?? undefined;
    const run = this.#run;
    if (run === undefined || this.#done) return undefined;
    let at = run.timers.earliest();
    if (run.busy && (at === undefined || this.#recoverAt < at)) at = this.#recoverAt;
    return at;
  }

  async onAlarm(now: number): Promise<void> {
    await this.#ready;
    const run = this.#run;
    if (run === undefined || this.#done || this.#stopping) return;
    run.timers.fire(now);
    if (run.busy && this.#recoverAt <= now) {
      this.#recoverEvery = Math.min(this.#recoverEvery * 2, RECOVER_MAX_MS);
      this.#recoverAt = now + this.#recoverEvery;
    }
  }

  stopping(): void {
    this.#evict();
    if (this.#kept === undefined) return;
    this.#endIdle?.();
    this.#instance.refreshAlarm();
  }

  /** The actor stops: the run ends, and the alarm it needs is noted (#kept). Once only. */
  #evict(): void {
    this.#stopping = true;
    const run = this.#run;
    if (run === undefined || this.#done || this.#kept !== undefined) return;
    // Work was under way: wake again right after this stop, to go on. Else: at the next deadline.
    this.#kept = run.busy ? Date.now() : (run.timers.earliest() ?? null);
    run.evict();
  }

  /** The run's busy state or timers changed. */
  #changed(): void {
    const run = this.#run;
    const busy = run !== undefined && !this.#done && !this.#stopping && run.busy;
    if (busy !== this.#busy) {
      this.#busy = busy;
      if (busy) {
        this.#recoverEvery = RECOVER_FIRST_MS;
        this.#recoverAt = Date.now() + RECOVER_FIRST_MS;
        this.#endIdle?.();
        this.#endIdle = undefined;
      } else if (!this.#done && !this.#stopping && this.#ctx) {
        void this.#runFeature()?.idleWhile(
          this.#ctx,
          new Promise<void>((resolve) => {
            this.#endIdle = resolve;
          }),
        );
      }
    }
    // Once per turn of changes: a join's branches come and go together.
    if (this.#refreshQueued) return;
    this.#refreshQueued = true;
    queueMicrotask(() => {
      this.#refreshQueued = false;
      if (this.#instance.status === "running") this.#instance.refreshAlarm();
    });
  }

  #runFeature(): RunFeature | undefined {
    return this.#instance.feature(RUN);
  }
}
