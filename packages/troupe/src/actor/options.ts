// Per-actor options, their defaults, and their validation.

import { errors } from "../base/errors.ts";

export interface ActorOptions {
  /** Display name for the inspector. */
  name?: string;
  /** Emoji or icon id for the inspector. */
  icon?: string;
  /** Idle time in ms before the actor sleeps. Default 30 s. */
  sleepTimeout?: number;
  /** Never sleep for being idle. Default false. */
  noSleep?: boolean;
  /** Longest an action may run before its caller gets `actor.action_timed_out`. Default 60 s. */
  actionTimeout?: number;
  /** Budget in ms for the whole graceful stop (hooks, in-flight work, waitUntil, final save). Default 15 s. */
  sleepGracePeriod?: number;
  /** Messages the actor's queues may hold together; one more fails with `queue.full`. Default 1000. */
  maxQueueSize?: number;
  /** Largest queue message in bytes, once encoded; a larger one fails with `queue.message_too_large`. Default 64 KiB. */
  maxQueueMessageSize?: number;
  /** Completable deliveries a message gets before it moves to the dead letters. Default 5. */
  maxQueueDeliveries?: number;
  /** How long (ms) an idempotency key of a queue send is remembered. Default 1 hour. */
  queueIdempotencyTtl?: number;
  /** Pending one-shot schedules and cron jobs, together; one more fails with `schedule.max_schedules_exceeded`. Default 1000. */
  maxSchedules?: number;
  /**
   * "strict" (default): replies and events wait until the state changes before them are committed.
   * "relaxed": replies go out at once; state is saved at most `stateSaveInterval` ms later.
   */
  durability?: "strict" | "relaxed";
  /** With relaxed durability, the longest a change waits before it is saved. Default 1 s. */
  stateSaveInterval?: number;
  /** Timeouts of the connection hooks, in ms. Default 5 s each. */
  createVarsTimeout?: number;
  createConnStateTimeout?: number;
  onBeforeConnectTimeout?: number;
  onConnectTimeout?: number;
  /** Largest `c.kv` key in bytes; a larger one fails with `kv.key_too_large`. Default 2 KiB. */
  maxKvKeySize?: number;
  /** Largest `c.kv` value in bytes; a larger one fails with `kv.value_too_large`. Default 128 KiB. */
  maxKvValueSize?: number;
}

export type ResolvedActorOptions = Required<Omit<ActorOptions, "name" | "icon">> & Pick<ActorOptions, "name" | "icon">;

export const DEFAULT_OPTIONS: ResolvedActorOptions = {
  sleepTimeout: 30_000,
  noSleep: false,
  maxQueueSize: 1000,
  maxQueueMessageSize: 64 * 1024,
  maxQueueDeliveries: 5,
  queueIdempotencyTtl: 60 * 60 * 1000,
  maxSchedules: 1000,
  actionTimeout: 60_000,
  sleepGracePeriod: 15_000,
  durability: "strict",
  stateSaveInterval: 1_000,
  createVarsTimeout: 5_000,
  createConnStateTimeout: 5_000,
  onBeforeConnectTimeout: 5_000,
  onConnectTimeout: 5_000,
  maxKvKeySize: 2 * 1024,
  maxKvValueSize: 128 * 1024,
};

const DURATION_KEYS = [
  "sleepTimeout",
  "actionTimeout",
  "sleepGracePeriod",
  "stateSaveInterval",
  "createVarsTimeout",
  "createConnStateTimeout",
  "onBeforeConnectTimeout",
  "onConnectTimeout",
] as const;

const BYTE_SIZE_KEYS = ["maxKvKeySize", "maxKvValueSize"] as const;

/** Queue and schedule limits: counts, and one size in bytes. */
const LIMIT_KEYS = ["maxQueueSize", "maxQueueMessageSize", "maxQueueDeliveries", "maxSchedules"] as const;

const KNOWN_OPTIONS = new Set<string>([
  ...DURATION_KEYS,
  ...BYTE_SIZE_KEYS,
  ...LIMIT_KEYS,
  "queueIdempotencyTtl",
  "name",
  "icon",
  "noSleep",
  "durability",
]);

export function resolveOptions(options: ActorOptions | undefined): ResolvedActorOptions {
  if (options === undefined) return DEFAULT_OPTIONS;
  if (typeof options !== "object" || options === null) throw errors.config("actor options must be an object.");
  const unknown = Object.keys(options).filter((k) => !KNOWN_OPTIONS.has(k));
  if (unknown.length > 0) {
    throw errors.config(
      `Unknown actor option${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}. Known options: ${[...KNOWN_OPTIONS].join(", ")}.`,
    );
  }
  for (const key of LIMIT_KEYS) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 1)) {
      throw errors.config(`options.${key} must be a positive integer, got ${String(value)}.`);
    }
  }
  const ttl = options.queueIdempotencyTtl;
  if (ttl !== undefined && (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl < 0)) {
    throw errors.config(`options.queueIdempotencyTtl must be a non-negative number of milliseconds, got ${String(ttl)}.`);
  }
  for (const key of DURATION_KEYS) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0)) {
      throw errors.config(`options.${key} must be a non-negative number of milliseconds, got ${String(value)}.`);
    }
  }
  for (const key of BYTE_SIZE_KEYS) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0)) {
      throw errors.config(`options.${key} must be a non-negative integer number of bytes, got ${String(value)}.`);
    }
  }
  if (options.durability !== undefined && options.durability !== "strict" && options.durability !== "relaxed") {
    throw errors.config(`options.durability must be "strict" or "relaxed", got ${String(options.durability)}.`);
  }
  return { ...DEFAULT_OPTIONS, ...options };
}
