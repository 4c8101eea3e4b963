// `actor({...})`: validates a definition and flattens its nested actions to dotted names.

import { isDatabaseProvider } from "../features/db/provider.ts";
import { errors } from "../base/errors.ts";
import { validateQueues } from "../features/queue/definition.ts";
import { type ActionFn, type ActionTree, type ActorConfig, CONFIG_KEYS, FUNCTION_KEYS } from "./config.ts";
import type { ActionContext } from "./context.ts";
import { type ResolvedActorOptions, resolveOptions } from "./options.ts";
import { validateRun } from "../features/run/feature.ts";

/** Type-only record of what a definition holds, read by the typed clients. */
export interface ActorTypes<S, CP, CS, V, I, A, Q = {}> {
  state: S;
  connParams: CP;
  connState: CS;
  vars: V;
  input: I;
  actions: A;
  queues: Q;
}

export class ActorDefinition<S = unknown, CP = unknown, CS = unknown, V = unknown, I = unknown, A = unknown, Q = {}, DB = unknown> {
  declare readonly types: ActorTypes<S, CP, CS, V, I, A, Q>;
  readonly config: ActorConfig<S, CP, CS, V, I, ActionTree<ActionContext<S, CP, CS, V, Q, DB>>, Q, DB>;
  readonly options: ResolvedActorOptions;
  /** Actions by dotted name. */
  readonly actions: ReadonlyMap<string, ActionFn<ActionContext<S, CP, CS, V, Q, DB>>>;
  readonly hasState: boolean;
  readonly hasConnHooks: boolean;

  /** @internal */
  constructor(config: ActorConfig<S, CP, CS, V, I, ActionTree<ActionContext<S, CP, CS, V, Q, DB>>, Q, DB>) {
    this.config = config;
    this.options = resolveOptions(config.options);
    this.actions = flattenActions(config.actions ?? {});
    this.hasState = "state" in config || config.createState !== undefined;
    this.hasConnHooks =
      config.onBeforeConnect !== undefined ||
      config.onConnect !== undefined ||
      config.onDisconnect !== undefined ||
      config.createConnState !== undefined ||
      "connState" in config;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: any definition, whatever its type parameters.
export type AnyActorDefinition = ActorDefinition<any, any, any, any, any, any, any, any>;

export function actor<S = undefined, CP = undefined, CS = undefined, V = undefined, I = undefined, A = {}, Q = {}, DB = undefined>(
  config: ActorConfig<S, CP, CS, V, I, A, Q, DB>,
): ActorDefinition<S, CP, CS, V, I, A, Q, DB> {
  validateConfig(config as unknown as Record<string, unknown>);
  return new ActorDefinition<S, CP, CS, V, I, A, Q, DB>(
    config as ActorConfig<S, CP, CS, V, I, ActionTree<ActionContext<S, CP, CS, V, Q, DB>>, Q, DB>,
  );
}

function validateConfig(config: Record<string, unknown>): void {
  if (typeof config !== "object" || config === null) throw errors.config("actor() takes a definition object.");
  const unknown = Object.keys(config).filter((k) => !CONFIG_KEYS.has(k));
  if (unknown.length > 0) {
    throw errors.config(
      `Unknown actor config key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}. Known keys: ${[...CONFIG_KEYS].join(", ")}.`,
    );
  }
  if ("state" in config && config.createState !== undefined) {
    throw errors.config("Define either `state` or `createState`, not both.");
  }
  if ("vars" in config && config.createVars !== undefined) {
    throw errors.config("Define either `vars` or `createVars`, not both.");
  }
  if ("connState" in config && config.createConnState !== undefined) {
    throw errors.config("Define either `connState` or `createConnState`, not both.");
  }
  for (const key of FUNCTION_KEYS) {
    if (config[key] !== undefined && typeof config[key] !== "function") {
      throw errors.config(`\`${key}\` must be a function.`);
    }
  }
  if (config.actions !== undefined && (typeof config.actions !== "object" || config.actions === null)) {
    throw errors.config("`actions` must be an object of functions.");
  }
  if (config.db !== undefined && !isDatabaseProvider(config.db)) {
    throw errors.config("`db` must come from db() in troupe/db (or troupe/db/drizzle).");
  }
  validateQueues(config.queues);
  validateRun(config.run);
}

function flattenActions<Ctx>(tree: ActionTree<Ctx>, prefix = "", out = new Map<string, ActionFn<Ctx>>()) {
  for (const [name, value] of Object.entries(tree)) {
    const full = prefix + name;
    if (typeof value === "function") {
      if (out.has(full)) throw errors.config(`Action "${full}" is defined twice.`);
      out.set(full, value);
    } else if (typeof value === "object" && value !== null) {
      flattenActions(value, `${full}.`, out);
    } else {
      throw errors.config(`Action "${full}" must be a function or an object of actions.`);
    }
  }
  return out;
}
