// Per-actor options of the core, their defaults and their validation. Features declare their own
// options (a default and a check each) and add them to `ActorOptions` from their own folder.

import { checkKeys } from "../base/config-keys.ts";
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
  /**
   * "strict" (default): replies and events wait until the state changes before them are committed.
   * "relaxed": replies go out at once; state is saved at most `stateSaveInterval` ms later.
   */
  durability?: "strict" | "relaxed";
  /** With relaxed durability, the longest a change waits before it is saved. Default 1 s. */
  stateSaveInterval?: number;
  /** Timeouts of `onBeforeCreate` and of the connection hooks, in ms. Default 5 s each. */
  onBeforeCreateTimeout?: number;
  createVarsTimeout?: number;
  createConnStateTimeout?: number;
  onBeforeConnectTimeout?: number;
  onConnectTimeout?: number;
  /**
   * Raw `onWebSocket` sockets only: `false` (default) keeps the actor awake while one is open, and
   * closes it if the actor stops; `true`, or a function of the upgrade request returning true, lets
   * the actor sleep and keeps the socket open meanwhile: its next message wakes the actor, whose
   * `onWebSocket` takes it again (`open` listeners do not run again). Action connections always stay open.
   */
  canHibernateWebSocket?: boolean | ((request: Request) => boolean);
  /** Accepted for RivetKit compatibility and ignored (with a warning): see IGNORED_OPTIONS. */
  connectionLivenessTimeout?: number;
  /** Accepted for RivetKit compatibility and ignored (with a warning). */
  connectionLivenessInterval?: number;
  /** Accepted for RivetKit compatibility and ignored (with a warning). */
  enableActorRuntimeSocket?: boolean;
  /** @deprecated RivetKit's; ignored (with a warning): `sleepGracePeriod` bounds the whole stop. */
  onDestroyTimeout?: number;
  /** @deprecated RivetKit's; ignored (with a warning): `sleepGracePeriod` bounds the whole stop. */
  waitUntilTimeout?: number;
  /** @deprecated RivetKit's; ignored (with a warning). */
  preloadMaxWorkflowBytes?: number;
  /** @deprecated RivetKit's; ignored (with a warning). */
  preloadMaxConnectionsBytes?: number;
}

/** RivetKit's options that have no meaning here, each with the reason its warning gives. */
export const IGNORED_OPTIONS = {
  connectionLivenessTimeout: "the server checks every WebSocket itself, with pings every 15 s",
  connectionLivenessInterval: "the server checks every WebSocket itself, with pings every 15 s",
  enableActorRuntimeSocket: "there is no actor runtime socket; reach the actor's database with c.db or the inspector",
  onDestroyTimeout: "deprecated in RivetKit; sleepGracePeriod bounds the whole stop",
  waitUntilTimeout: "deprecated in RivetKit; sleepGracePeriod bounds the whole stop",
  preloadMaxWorkflowBytes: "deprecated in RivetKit; nothing is preloaded here",
  preloadMaxConnectionsBytes: "deprecated in RivetKit; nothing is preloaded here",
} as const;

type Unresolved = "name" | "icon" | "canHibernateWebSocket" | keyof typeof IGNORED_OPTIONS;

export type ResolvedActorOptions = Required<Omit<ActorOptions, Unresolved>> & Pick<ActorOptions, "name" | "icon" | "canHibernateWebSocket">;

/** One option: its default, and a check that returns what is wrong with a value (undefined when fine). */
export interface OptionSpec {
  readonly default: unknown;
  check(value: unknown): string | undefined;
}

export const duration = (fallback: number): OptionSpec => ({
  default: fallback,
  check: (v) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? undefined : "a non-negative number of milliseconds"),
});

/** A count or a size that must be at least 1. */
export const positiveInteger = (fallback: number): OptionSpec => ({
  default: fallback,
  check: (v) => (typeof v === "number" && Number.isInteger(v) && v >= 1 ? undefined : "a positive integer"),
});

/** A size in bytes that may be 0. */
export const byteSize = (fallback: number): OptionSpec => ({
  default: fallback,
  check: (v) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? undefined : "a non-negative integer number of bytes"),
});

const CORE_OPTIONS: Record<string, OptionSpec> = {
  name: { default: undefined, check: (v) => (typeof v === "string" ? undefined : "a string") },
  icon: { default: undefined, check: (v) => (typeof v === "string" ? undefined : "a string") },
  sleepTimeout: duration(30_000),
  noSleep: { default: false, check: (v) => (typeof v === "boolean" ? undefined : "a boolean") },
  actionTimeout: duration(60_000),
  sleepGracePeriod: duration(15_000),
  durability: { default: "strict", check: (v) => (v === "strict" || v === "relaxed" ? undefined : '"strict" or "relaxed"') },
  stateSaveInterval: duration(1_000),
  onBeforeCreateTimeout: duration(5_000),
  createVarsTimeout: duration(5_000),
  createConnStateTimeout: duration(5_000),
  onBeforeConnectTimeout: duration(5_000),
  onConnectTimeout: duration(5_000),
  canHibernateWebSocket: {
    default: false,
    check: (v) => (typeof v === "boolean" || typeof v === "function" ? undefined : "a boolean or a function of the request"),
  },
};

/** Every option the core and the given features know, by name. */
export function optionSpecs(featureOptions: ReadonlyArray<Readonly<Record<string, OptionSpec>> | undefined>): Map<string, OptionSpec> {
  const specs = new Map(Object.entries(CORE_OPTIONS));
  for (const options of featureOptions) for (const [name, spec] of Object.entries(options ?? {})) specs.set(name, spec);
  return specs;
}

/** Checks `options` against `specs` and fills in the defaults. */
export function resolveOptions(options: ActorOptions | undefined, specs: ReadonlyMap<string, OptionSpec>): ResolvedActorOptions {
  if (options !== undefined && (typeof options !== "object" || options === null)) throw errors.config("actor options must be an object.");
  const given = (options ?? {}) as Record<string, unknown>;
  checkKeys("actor() option", given, specs.keys(), IGNORED_OPTIONS);
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of specs) {
    const value = given[name];
    if (value === undefined) {
      if (spec.default !== undefined) resolved[name] = spec.default;
      continue;
    }
    const wrong = spec.check(value);
    if (wrong !== undefined) throw errors.config(`options.${name} must be ${wrong}, got ${String(value)}.`);
    resolved[name] = value;
  }
  return resolved as ResolvedActorOptions;
}
