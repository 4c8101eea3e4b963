// scope.queue.next: a durable receive. The message is recorded in the history in the same commit
// that deletes it from the actor's queue, so a replay returns the same message and the queue
// never hands it out twice. A wait with a timeout records its deadline, so it survives sleeps.

import { never } from "./branch.ts";
import type { Slot } from "./cursor.ts";
import { workflowErrors } from "./errors.ts";
import type { QueueDelivery } from "./host.ts";
import { type EntryRecord, storedCopy } from "./records.ts";
import { outsideBody, systemNow } from "./sandbox.ts";
import type { WorkflowScope } from "./scope.ts";

export interface QueueNextOptions<N extends string = string> {
  /** Only messages sent to these queue names (default: any). */
  names?: readonly N[];
  /** Stop waiting after this many ms; scope.queue.next then returns undefined. */
  timeout?: number;
  /** Leave the message in the queue until `message.complete(response)` (which wakes a waiting sender). */
  completable?: boolean;
}

export interface WorkflowMessage<B = unknown, C = unknown> {
  id: number;
  name: string;
  body: B;
  createdAt: number;
  /** Present with `completable: true`: completes the message, with a response for a waiting sender. */
  complete?(response?: C): Promise<void>;
}

export function checkQueueOptions(options: QueueNextOptions | undefined): QueueNextOptions {
  const opts = options ?? {};
  if (opts.names !== undefined && (!Array.isArray(opts.names) || opts.names.some((n) => typeof n !== "string"))) {
    throw workflowErrors.invalidArgument("scope.queue.next: names must be an array of queue names.");
  }
  if (opts.timeout !== undefined && !(typeof opts.timeout === "number" && opts.timeout >= 0)) {
    throw workflowErrors.invalidArgument("scope.queue.next: timeout must be a non-negative number of ms.");
  }
  return opts;
}

export async function runQueueNext(
  scope: WorkflowScope,
  slot: Slot,
  name: string,
  opts: QueueNextOptions,
): Promise<WorkflowMessage | undefined> {
  const { run } = scope;
  let record: EntryRecord | undefined = slot.record;
  if (record?.status === "completed") {
    scope.clock.observe(record.completedAt);
    const delivered = record.output as QueueDelivery | undefined;
    return delivered && message(scope, slot, delivered, opts.completable === true);
  }
  if (!run.live) return run.park(scope.branch, slot);
  // A completable message not yet completed is still in the queue: it would be received again.
  if (run.openMessages.size > 0) throw run.host.notCompleted([...run.openMessages]);
  if (record === undefined) {
    const now = systemNow();
    record = { kind: "message", name, seq: slot.seq, status: "waiting", startedAt: now, updatedAt: now };
    if (opts.timeout !== undefined) record.deadline = now + opts.timeout;
    run.history.put(slot.path, record);
  }
  const delivery = await receive(scope, record.deadline, opts);
  if (scope.branch.cancelled) return never();
  const now = systemNow();
  record = {
    ...record,
    status: "completed",
    output: storedCopy(delivery),
    completedAt: now,
    updatedAt: now,
    messageCompleted: opts.completable !== true,
  };
  run.history.put(slot.path, record);
  if (delivery && opts.completable !== true) await run.host.acknowledge(delivery.id);
  await run.host.durable();
  scope.clock.observe(now);
  return delivery && message(scope, slot, record.output as QueueDelivery, opts.completable === true);
}

/** Waits for a message until `deadline`; the deadline is also an alarm, so it holds across sleeps. */
async function receive(scope: WorkflowScope, deadline: number | undefined, opts: QueueNextOptions): Promise<QueueDelivery | undefined> {
  const { run } = scope;
  const expired = new AbortController();
  const signal = AbortSignal.any([scope.branch.signal, expired.signal]);
  if (deadline !== undefined) void run.timers.wait(deadline, signal).then(() => expired.abort());
  const timeout = deadline === undefined ? undefined : Math.max(0, deadline - systemNow());
  try {
    return await run.wait(scope.branch, run.host.receive({ names: opts.names, timeout }, signal));
  } catch (error) {
    if (scope.branch.cancelled) return never();
    if (expired.signal.aborted) return undefined;
    throw error;
  } finally {
    expired.abort();
  }
}

function message(scope: WorkflowScope, slot: Slot, delivered: QueueDelivery, completable: boolean): WorkflowMessage {
  const out: WorkflowMessage = { ...delivered };
  if (!completable) return out;
  const { run } = scope;
  if (!run.history.get(slot.path)?.messageCompleted) run.openMessages.add(delivered.id);
  // Called from body code; what it does is the engine's.
  out.complete = (response?: unknown) =>
    outsideBody(async () => {
      const record = run.history.get(slot.path);
      if (!record || record.messageCompleted) return;
      await run.host.acknowledge(delivered.id, response);
      run.history.put(slot.path, { ...record, messageCompleted: true, updatedAt: systemNow() });
      run.openMessages.delete(delivered.id);
      await run.host.durable();
    });
  return out;
}
