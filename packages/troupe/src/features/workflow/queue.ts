// ctx.queue.next: a durable receive. The message is recorded in the history in the same commit
// that deletes it from the actor's queue, so a replay returns the same message and the queue
// never hands it out twice. A wait with a timeout records its deadline, so it survives sleeps.

import { queueErrors } from "../queue/errors.ts";
import { never } from "./branch.ts";
import type { WorkflowContext } from "./context.ts";
import type { Slot } from "./cursor.ts";
import { workflowErrors } from "./errors.ts";
import type { QueueDelivery } from "./host.ts";
import { type EntryRecord, storedCopy } from "./records.ts";

export interface QueueNextOptions<N extends string = string> {
  /** Only messages sent to these queue names (default: any). */
  names?: readonly N[];
  /** Stop waiting after this many ms; ctx.queue.next then returns undefined. */
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
  complete?: (response?: C) => Promise<void>;
}

type Ctx = WorkflowContext<never, never>;

export function checkQueueOptions(options: QueueNextOptions | undefined): QueueNextOptions {
  const opts = options ?? {};
  if (opts.names !== undefined && (!Array.isArray(opts.names) || opts.names.some((n) => typeof n !== "string"))) {
    throw workflowErrors.invalidArgument("ctx.queue.next: names must be an array of queue names.");
  }
  if (opts.timeout !== undefined && !(typeof opts.timeout === "number" && opts.timeout >= 0)) {
    throw workflowErrors.invalidArgument("ctx.queue.next: timeout must be a non-negative number of ms.");
  }
  return opts;
}

export async function runQueueNext(ctx: Ctx, slot: Slot, name: string, opts: QueueNextOptions): Promise<WorkflowMessage | undefined> {
  const { run } = ctx;
  let record: EntryRecord | undefined = slot.record;
  if (record?.status === "completed") {
    ctx.clock.observe(record.completedAt);
    const delivered = record.output as QueueDelivery | undefined;
    return delivered && message(ctx, slot, delivered, opts.completable === true);
  }
  if (!run.live) return run.park(ctx.branch, slot);
  // A completable message not yet completed is still in the queue: it would be received again.
  if (run.openMessages.size > 0) throw queueErrors.previousNotCompleted([...run.openMessages]);
  if (record === undefined) {
    const now = Date.now();
    record = { kind: "message", name, seq: slot.seq, status: "waiting", startedAt: now, updatedAt: now };
    if (opts.timeout !== undefined) record.deadline = now + opts.timeout;
    run.history.put(slot.path, record);
  }
  const delivery = await receive(ctx, record.deadline, opts);
  if (ctx.branch.cancelled) return never();
  const now = Date.now();
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
  ctx.clock.observe(now);
  return delivery && message(ctx, slot, record.output as QueueDelivery, opts.completable === true);
}

/** Waits for a message until `deadline`; the deadline is also an alarm, so it holds across sleeps. */
async function receive(ctx: Ctx, deadline: number | undefined, opts: QueueNextOptions): Promise<QueueDelivery | undefined> {
  const { run } = ctx;
  const expired = new AbortController();
  const signal = AbortSignal.any([ctx.branch.signal, expired.signal]);
  if (deadline !== undefined) void run.timers.wait(deadline, signal).then(() => expired.abort());
  const timeout = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
  try {
    return await run.wait(ctx.branch, run.host.receive({ names: opts.names, timeout }, signal));
  } catch (error) {
    if (ctx.branch.cancelled) return never();
    if (expired.signal.aborted) return undefined;
    throw error;
  } finally {
    expired.abort();
  }
}

function message(ctx: Ctx, slot: Slot, delivered: QueueDelivery, completable: boolean): WorkflowMessage {
  const out: WorkflowMessage = { ...delivered };
  if (!completable) return out;
  const { run } = ctx;
  if (!run.history.get(slot.path)?.messageCompleted) run.openMessages.add(delivered.id);
  out.complete = async (response?: unknown) => {
    const record = run.history.get(slot.path);
    if (!record || record.messageCompleted) return;
    await run.host.acknowledge(delivered.id, response);
    run.history.put(slot.path, { ...record, messageCompleted: true, updatedAt: Date.now() });
    run.openMessages.delete(delivered.id);
    await run.host.durable();
  };
  return out;
}
