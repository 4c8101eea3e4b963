// scope.join and scope.race: branches run concurrently, each in a scope (and a thread) of its own.
// A join replays every branch; a decided race replays only its recorded winner, since the
// losers were cancelled wherever they happened to be.

import { Branch } from "./branch.ts";
import type { Slot } from "./cursor.ts";
import { type ErrorInfo, toErrorInfo } from "./error-info.ts";
import { isCodeError, workflowErrors } from "./errors.ts";
import { checkName } from "./path.ts";
import { type EntryRecord, storedCopy } from "./records.ts";
import { systemNow } from "./sandbox.ts";
import type { WorkflowScope } from "./scope.ts";
import type { Branch as BranchSpec } from "./types.ts";

export type BranchRun = (ctx: never) => Promise<unknown>;

export function branchRun(spec: unknown, what: string): BranchRun {
  const branch = spec as BranchSpec<unknown, never> | undefined;
  const fn = typeof branch === "function" ? branch : branch?.run;
  if (typeof fn !== "function") throw workflowErrors.invalidArgument(`${what} needs a function (or { run }) to run.`);
  return fn;
}

/** Runs one branch's code in its own scope and thread. */
async function runBranch(parent: WorkflowScope, slot: Slot, branch: Branch, name: string, fn: BranchRun, start: number): Promise<unknown> {
  const scope = parent.child([...slot.path, name], branch, start);
  parent.run.enter(branch);
  try {
    let value: unknown;
    try {
      value = await branch.deliver(scope.runBody(fn));
    } catch (error) {
      throw scope.ended(error);
    }
    scope.ended();
    return value;
  } finally {
    parent.run.exit(branch);
    branch.end();
  }
}

function begin(scope: WorkflowScope, slot: Slot, kind: "join" | "race", name: string): EntryRecord {
  if (slot.record) return slot.record;
  const now = systemNow();
  const record: EntryRecord = { kind, name, seq: slot.seq, status: "running", startedAt: now, updatedAt: now };
  scope.run.history.put(slot.path, record);
  return record;
}

function finish(scope: WorkflowScope, slot: Slot, record: EntryRecord, patch: Partial<EntryRecord>): EntryRecord {
  if (record.status !== "running" || !scope.run.live) return record;
  const now = systemNow();
  const done = { ...record, ...patch, completedAt: now, updatedAt: now };
  scope.run.history.put(slot.path, done);
  return done;
}

export async function runJoin(
  scope: WorkflowScope,
  slot: Slot,
  name: string,
  branches: Record<string, BranchRun>,
): Promise<Record<string, unknown>> {
  let record = begin(scope, slot, "join", name);
  const names = Object.keys(branches);
  const settled = await scope.run.wait(
    scope.branch,
    Promise.allSettled(
      names.map((branch) => runBranch(scope, slot, new Branch(scope.branch), branch, branches[branch] as BranchRun, record.startedAt)),
    ),
  );
  const outputs: Record<string, unknown> = {};
  const failures: Record<string, ErrorInfo> = {};
  for (const [i, result] of settled.entries()) {
    const branch = names[i] as string;
    if (result.status === "fulfilled") outputs[branch] = result.value;
    else if (isCodeError(result.reason)) throw result.reason;
    else {
      // Without stacks: the error must read the same when a replay throws it again.
      const { stack: _, ...info } = toErrorInfo(result.reason);
      failures[branch] = info;
    }
  }
  if (Object.keys(failures).length > 0) {
    const error = workflowErrors.joinFailed(name, failures);
    record = finish(scope, slot, record, { status: "failed", error: toErrorInfo(error) });
    scope.clock.observe(record.completedAt);
    throw error;
  }
  record = finish(scope, slot, record, { status: "completed", output: storedCopy(outputs) });
  scope.clock.observe(record.completedAt);
  return outputs;
}

export interface RaceBranch {
  name: string;
  run: BranchRun;
}

export async function runRace(
  scope: WorkflowScope,
  slot: Slot,
  name: string,
  branches: RaceBranch[],
): Promise<{ winner: string; value: unknown }> {
  const recorded = slot.record;
  if (recorded?.winner !== undefined) {
    const winner = branches.find((branch) => branch.name === recorded.winner);
    if (!winner) throw workflowErrors.unreached([...slot.path], { kind: "race", name: recorded.winner });
    // The winner replays to its recorded end, returning or throwing exactly as it did live.
    try {
      const value = await scope.run.wait(
        scope.branch,
        runBranch(scope, slot, new Branch(scope.branch), winner.name, winner.run, recorded.startedAt),
      );
      return { winner: winner.name, value };
    } finally {
      scope.clock.observe(recorded.completedAt);
    }
  }
  const record = begin(scope, slot, "race", name);
  const threads = branches.map(() => new Branch(scope.branch));
  const first = new Promise<{ index: number; ok: boolean; value: unknown }>((resolve) => {
    branches.forEach((branch, index) => {
      runBranch(scope, slot, threads[index] as Branch, branch.name, branch.run, record.startedAt).then(
        (value) => resolve({ index, ok: true, value }),
        (error: unknown) => resolve({ index, ok: false, value: error }),
      );
    });
  });
  const settled = await scope.run.wait(scope.branch, first);
  const winner = branches[settled.index] as RaceBranch;
  for (const [i, thread] of threads.entries()) if (i !== settled.index) thread.cancel(new Error(`lost race "${name}" to "${winner.name}"`));
  if (!settled.ok && isCodeError(settled.value)) throw settled.value;
  // Deciding the race is an entry of its own that only a live run may record.
  if (!scope.run.live) return scope.run.park(scope.branch, slot);
  if (!settled.ok) {
    const done = finish(scope, slot, record, { status: "failed", winner: winner.name, error: toErrorInfo(settled.value) });
    scope.clock.observe(done.completedAt);
    throw settled.value;
  }
  const done = finish(scope, slot, record, { status: "completed", winner: winner.name, output: storedCopy(settled.value) });
  scope.clock.observe(done.completedAt);
  return { winner: winner.name, value: settled.value };
}

export function checkBranchNames(names: string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    checkName(name, what);
    if (seen.has(name)) throw workflowErrors.invalidArgument(`${what} has two branches named "${name}".`);
    seen.add(name);
  }
}
