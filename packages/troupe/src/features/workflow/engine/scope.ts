// The internal side of a workflow context: the scope of code it belongs to (the body, a loop
// iteration, a branch), with the run and thread it runs in, the entries it has reached, and its
// own clock and random stream. The engine's operations work on scopes; users see a scope only
// through its context, which the run's context factory makes (context.ts, and the adapter's).

import type { Branch } from "./branch.ts";
import { Cursor } from "./cursor.ts";
import { ScopeClock, ScopeRandom } from "./deterministic.ts";
import { isCodeError, workflowErrors } from "./errors.ts";
import { type Path, pathId } from "./path.ts";
import type { WorkflowRun } from "./run.ts";
import { type BodySource, inBody } from "./sandbox.ts";

export class WorkflowScope implements BodySource {
  readonly run: WorkflowRun;
  /** The thread this code runs in. */
  readonly branch: Branch;
  readonly cursor: Cursor;
  readonly clock: ScopeClock;
  #random: ScopeRandom | undefined;
  #stepDepth = 0;

  constructor(run: WorkflowRun, branch: Branch, path: Path, start: number) {
    this.run = run;
    this.branch = branch;
    this.cursor = new Cursor(path, run.history.scope(path));
    this.clock = new ScopeClock(start);
  }

  /** A nested scope: a loop iteration, or a branch (in a thread of its own). */
  child(path: Path, branch: Branch, start: number): WorkflowScope {
    return new WorkflowScope(this.run, branch, path, start);
  }

  /** Runs the user's code of this scope with its context, as body code (see sandbox.ts). */
  runBody<T>(code: (ctx: never) => T): T {
    const ctx = this.run.context(this) as never;
    return inBody(this, () => code(ctx));
  }

  /**
   * The scope's code ended (with `error` if it threw). History it did not reach means the code
   * changed: that error wins over the one thrown, unless that already says so.
   */
  ended(error?: unknown): unknown {
    if (isCodeError(error)) return error;
    const unreached = this.cursor.unreached();
    if (unreached) throw workflowErrors.unreached(this.cursor.scope, unreached);
    return error;
  }

  /** Runs a step's code; meanwhile the context opens the actor's APIs. */
  async inStep<T>(fn: () => T | Promise<T>): Promise<T> {
    this.#stepDepth++;
    try {
      return await fn();
    } finally {
      this.#stepDepth--;
    }
  }

  /** Whether a step's code started from this scope is running. */
  get inStepCode(): boolean {
    return this.#stepDepth > 0;
  }

  /** The workflow's time in this scope: when the latest entry its code has seen completed. */
  now(): number {
    return this.clock.now;
  }

  /** A float in [0, 1) from this scope's seeded stream. */
  random(): number {
    this.#random ??= new ScopeRandom(this.run.history.workflow?.seed ?? 0, pathId(this.cursor.scope));
    return this.#random.next();
  }
}
