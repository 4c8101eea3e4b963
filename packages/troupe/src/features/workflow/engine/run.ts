// One execution of a workflow in one activation of its actor: runs the body from the start,
// replaying recorded entries and running live past them, until the workflow completes, fails,
// is blocked by code that no longer matches its history, or is evicted because the actor stops.

import type { ActorError } from "../../../base/errors.ts";
import { nextTurn } from "../../../base/timers.ts";
import { summary } from "./attempts.ts";
import { Branch, never } from "./branch.ts";
import { newSeed } from "./deterministic.ts";
import { fromErrorInfo, toErrorInfo } from "./error-info.ts";
import { isCodeError } from "./errors.ts";
import type { Slot } from "./cursor.ts";
import type { History } from "./history.ts";
import type { WorkflowHost } from "./host.ts";
import type { PathSegment } from "./path.ts";
import { type EntryKind, storedCopy, type WorkflowRecord } from "./records.ts";
import { RollbackStack } from "./rollback.ts";
import { systemNow } from "./sandbox.ts";
import { WorkflowScope } from "./scope.ts";
import { TimerSet } from "./timers.ts";

/** Makes the context that workflow code of a scope receives (the adapter's, with the actor's APIs). */
export type ContextFactory = (scope: WorkflowScope) => unknown;

/** A workflow body; the run calls it with its root scope's context. */
export type WorkflowBody = (ctx: never) => Promise<unknown>;

export type RunResult =
  | { status: "completed"; output: unknown }
  | { status: "failed"; error: Error }
  | { status: "blocked"; error: ActorError }
  | { status: "evicted" }
  /** Replay of a recorded history only: every branch reached the end of what was recorded. */
  | { status: "replayed" };

interface Thread {
  /** Durable waits (sleep, queue, join) the thread is in; it is busy at 0. */
  waits: number;
}

export class WorkflowRun {
  readonly host: WorkflowHost;
  readonly history: History;
  readonly context: ContextFactory;
  readonly timers: TimerSet;
  readonly root = new Branch();
  readonly rollbacks = new RollbackStack();
  readonly #threads = new Map<Branch, Thread>();
  #busy = false;
  /** Completable queue messages the workflow received and has not completed yet. */
  readonly openMessages = new Set<number>();
  /** Replay only: the first place where the code went past the recorded history. */
  frontier: { path: PathSegment[]; kind: EntryKind | undefined; name: string } | undefined;
  #finish!: (result: RunResult) => void;
  readonly #finished = new Promise<RunResult>((resolve) => {
    this.#finish = resolve;
  });

  constructor(host: WorkflowHost, history: History, context: ContextFactory) {
    this.host = host;
    this.history = history;
    this.context = context;
    this.timers = new TimerSet(() => host.alarmsChanged());
  }

  get live(): boolean {
    return this.host.live;
  }

  /** Whether some branch is running code (not only waiting): a crash now must be recovered from. */
  get busy(): boolean {
    return this.#busy;
  }

  /** Stops the run at its next yield point; the actor is stopping. */
  evict(): void {
    this.root.cancel(new Error("workflow evicted: the actor is stopping"));
    this.#finish({ status: "evicted" });
  }

  execute(fn: WorkflowBody): Promise<RunResult> {
    const done = this.#execute(fn);
    done.then(this.#finish, (error: unknown) => this.#finish({ status: "failed", error: error as Error }));
    return this.#finished;
  }

  async #execute(fn: WorkflowBody): Promise<RunResult> {
    const recorded = this.history.workflow;
    if (this.live && recorded?.status === "completed") return { status: "completed", output: recorded.output };
    if (this.live && recorded?.status === "failed" && recorded.error) return { status: "failed", error: fromErrorInfo(recorded.error) };
    const now = systemNow();
    let workflow: WorkflowRecord = recorded ?? { status: "running", startedAt: now, updatedAt: now, seed: newSeed() };
    if (recorded === undefined || recorded.status === "blocked") {
      const { error: _, ...rest } = workflow;
      workflow = { ...rest, status: "running", updatedAt: now };
      this.history.setWorkflow(workflow);
    }
    const scope = new WorkflowScope(this, this.root, [], workflow.startedAt);
    this.enter(this.root);
    try {
      let output: unknown;
      try {
        output = await scope.runBody(fn);
      } catch (error) {
        throw scope.ended(error);
      }
      scope.ended();
      if (this.root.cancelled) return { status: "evicted" };
      if (!this.live) return { status: "completed", output };
      const stored = storedCopy(output);
      const at = systemNow();
      this.history.setWorkflow({ ...workflow, status: "completed", output: stored, completedAt: at, updatedAt: at });
      await this.host.durable();
      return { status: "completed", output: stored };
    } catch (error) {
      if (this.root.cancelled) return { status: "evicted" };
      return await this.#failed(workflow, error);
    } finally {
      this.exit(this.root);
    }
  }

  async #failed(workflow: WorkflowRecord, error: unknown): Promise<RunResult> {
    if (isCodeError(error)) {
      this.history.setWorkflow({ ...workflow, status: "blocked", error: toErrorInfo(error), updatedAt: systemNow() });
      await this.host.durable();
      return { status: "blocked", error };
    }
    const failure = error instanceof Error ? error : new Error(String(error));
    if (!this.live) return { status: "failed", error: failure };
    const final = (await this.rollbacks.run(this)) ?? failure;
    if (isCodeError(final)) return this.#failed(workflow, final);
    const info = toErrorInfo(final);
    const at = systemNow();
    this.history.setWorkflow({ ...(this.history.workflow ?? workflow), status: "failed", error: info, completedAt: at, updatedAt: at });
    await this.host.durable();
    await this.host.report({ workflow: { workflowId: this.host.workflowId, error: summary(info) } });
    return { status: "failed", error: final };
  }

  // ---- threads: the main body and each branch of a join or race ----

  enter(branch: Branch): void {
    this.#threads.set(branch, { waits: 0 });
    branch.signal.addEventListener("abort", () => this.exit(branch), { once: true });
    this.#update();
  }

  exit(branch: Branch): void {
    if (this.#threads.delete(branch)) this.#update();
  }

  /** Waits for `promise` with `branch` counted as waiting, not busy. */
  async wait<T>(branch: Branch, promise: Promise<T>): Promise<T> {
    const thread = this.#threads.get(branch);
    if (thread) thread.waits++;
    this.#update();
    try {
      return await promise;
    } finally {
      if (thread) thread.waits--;
      this.#update();
    }
  }

  /** A durable wait until `at`: the actor's alarm releases it, even after a sleep or a restart. */
  waitUntil(branch: Branch, at: number): Promise<void> {
    if (at <= systemNow()) return Promise.resolve();
    return this.wait(branch, this.timers.wait(at, branch.signal));
  }

  /** Replaying a recorded history only: `branch` reached what the history does not hold. */
  park<T>(branch: Branch, at: Slot): Promise<T> {
    this.frontier ??= { path: at.path, kind: at.record?.kind, name: at.path[at.path.length - 1] as string };
    void this.wait(branch, never());
    return never();
  }

  #update(): void {
    let busy = false;
    for (const thread of this.#threads.values()) if (thread.waits === 0) busy = true;
    if (busy !== this.#busy) {
      this.#busy = busy;
      this.host.alarmsChanged();
    }
    // Replay runs in microtasks only: still idle a turn later means every branch is parked.
    if (!busy && !this.live) nextTurn(() => this.#busy || this.#finish({ status: "replayed" }));
  }
}
